// hoop_info: prints the library version and every HOOP_* parameter with the value in force
// in this environment, its default and what it does.
#include <stdio.h>

#include "core/params.h"
#include "hoop/hoop.h"

int main() {
  int version = 0;
  hoopGetVersion(&version);
  printf("hoop %d.%d.%d\n\n%s", version / 10000, version / 100 % 100, version % 100, hoop::describeParams().c_str());
  return 0;
}
