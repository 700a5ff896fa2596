# Shared set-up for scripts/bench and scripts/test (sourced, not run): installs what is
# missing when run as root on Debian, then configures and builds hoop into $HOOP_BUILD_DIR
# (default: build/). Extra CMake arguments come from $HOOP_CMAKE_ARGS.
set -euo pipefail

HOOP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOOP_BUILD_DIR=${HOOP_BUILD_DIR:-$HOOP_ROOT/build}
HOOP_JOBS=${HOOP_JOBS:-$(nproc)}

hoop_packages=(g++ cmake ninja-build pkg-config openmpi-bin libopenmpi-dev libgtest-dev libbenchmark-dev
  zlib1g-dev dataset-fashion-mnist gnuplot-nox
  python3-matplotlib)

hoop_install_missing() {
  local missing=()
  for package in "${hoop_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "hoop: missing packages: ${missing[*]} (install them, or run as root on Debian)" >&2
    return 1
  fi
  echo "hoop: installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

hoop_build() {
  local generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  # shellcheck disable=SC2086
  cmake -S "$HOOP_ROOT" -B "$HOOP_BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release ${HOOP_CMAKE_ARGS:-}
  cmake --build "$HOOP_BUILD_DIR" -j "$HOOP_JOBS"
}

# Open MPI refuses to run as root without these; the test harness passes the flags too.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

if command -v dpkg-query >/dev/null; then hoop_install_missing; fi
hoop_build
