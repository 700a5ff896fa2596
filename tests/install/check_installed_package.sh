#!/usr/bin/env bash
# Installs the build into a scratch prefix, then builds and runs the C example the way a
# user would: (1) mpicc with `pkg-config --cflags --libs hoop` alone, (2) a CMake project
# with find_package(hoop). Each runs at 1 to 5 ranks and must report exact results.
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mpiexec=${MPIEXEC:-mpirun}
read -r -a flags <<<"${MPIEXEC_FLAGS//;/ }"

cmake --install "$build" --prefix "$work/prefix" >/dev/null
libdir=$(find "$work/prefix" -name hoop.pc -printf '%h\n' | head -n1)
export PKG_CONFIG_PATH="$libdir"

mpicc -std=c99 -Wall -Wextra -Werror -pedantic "$source/examples/allreduce_c.c" \
  $(pkg-config --cflags --libs hoop) -o "$work/with_pkg_config"

mkdir -p "$work/consumer"
cat >"$work/consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(hoop REQUIRED)
add_executable(with_find_package allreduce_c.c)
target_link_libraries(with_find_package PRIVATE hoop::hoop)
CMAKE
cp "$source/examples/allreduce_c.c" "$work/consumer/"
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer/build" >/dev/null

for program in "$work/with_pkg_config" "$work/consumer/build/with_find_package"; do
  for ranks in 1 2 3 4 5; do
    "$mpiexec" "${flags[@]}" -np "$ranks" "$program" | grep -q "^PASSED: $ranks ranks"
  done
  echo "$(basename "$program"): exact at 1 to 5 ranks"
done
