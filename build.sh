#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install what the build needs (Debian 12) and run scons.
#   ./build.sh run     boot the demo system in QEMU
#   ./build.sh test    build and run every test suite
#   ./build.sh bench   run the benchmarks (build/bench/results.json, report.html)
#   ./build.sh [scons arguments]
set -e
cd "$(dirname "$0")"

PKGS="gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm scons libcmocka-dev libcapstone-dev gdb-multiarch python3 python3-matplotlib cppcheck frama-c-base gcc-multilib libcmocka-dev:i386"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "build.sh: installing:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    # The 32-bit host unit tests link the i386 CMocka (docs/testing.md).
    case "$missing" in
    *:i386*) dpkg --print-foreign-architectures | grep -qx i386 || $SUDO dpkg --add-architecture i386 ;;
    esac
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi

JOBS="-j$(nproc 2>/dev/null || echo 2)"
if [ "$1" = "test" ]; then
    # The closing line must be the `N passed, N failed` summary, so repeat it
    # after anything scons prints on the way out.
    log="$(mktemp)"
    set +e
    scons -Q $JOBS "$@" 2>&1 | tee "$log"
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    fails=$(echo "$summary" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p')
    rm -f "$log"
    if [ -z "$summary" ]; then
        echo "build.sh: the build failed before the tests ran"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "$summary"
    [ "$fails" = "0" ] && exit 0
    exit 1
fi
exec scons -Q $JOBS "$@"
