/* hoop version numbers. CMakeLists.txt reads the project version from this file. */
#ifndef HOOP_HOOP_VERSION_H_
#define HOOP_HOOP_VERSION_H_

#define HOOP_VERSION_MAJOR 0
#define HOOP_VERSION_MINOR 1
#define HOOP_VERSION_PATCH 0
#define HOOP_VERSION_CODE (HOOP_VERSION_MAJOR * 10000 + HOOP_VERSION_MINOR * 100 + HOOP_VERSION_PATCH)

#endif /* HOOP_HOOP_VERSION_H_ */
