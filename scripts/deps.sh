#!/usr/bin/env bash
# Install what tdxmm needs on Debian 12 and configure Why3 for Frama-C WP.
# Idempotent; quiet and fast (< 1 s) when everything is present.
# Usage: scripts/deps.sh [--kernel]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${TDXMM_BUILD:-$top/build}

pkgs=(gcc make frama-c-base why3 z3 cvc4 libcmocka-dev spin clang python3-yaml
      libclang-rt-14-dev valgrind python3)
case ${1:-} in
--kernel) pkgs+=(linux-source-6.1 flex bison bc xz-utils util-linux) ;;
--kernel-smp) pkgs+=(qemu-system-x86 libelf-dev libssl-dev) ;;
esac

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	sudo=
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	mkdir -p "$build"
	log=$build/deps-apt.log
	# Another apt may hold the lock on a fresh machine: wait, do not fail.
	if ! { $sudo apt-get -o DPkg::Lock::Timeout=900 -qq update &&
	       $sudo apt-get -o DPkg::Lock::Timeout=900 -qq install -y \
			--no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
		cat "$log" >&2
		echo "deps: apt-get failed (log: $log)" >&2
		exit 1
	fi
fi

# Why3 config under build/: recreated on every fresh clone, never in $HOME,
# so a CI machine needs nothing done by hand.  Makefiles pass WHY3CONFIG.
conf=$build/why3.conf
if [ ! -s "$conf" ] || ! grep -q '^name = "Z3"' "$conf" ||
   ! grep -q '^name = "CVC4"' "$conf"; then
	mkdir -p "$build"
	why3 config detect -C "$conf" >/dev/null 2>&1 || true
	grep -q '^name = "Z3"' "$conf" && grep -q '^name = "CVC4"' "$conf" || {
		echo "deps: why3 did not detect Z3 and CVC4 (see $conf)" >&2
		exit 1
	}
	echo "deps: why3 config written to $conf"
fi
exit 0
