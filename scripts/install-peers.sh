#!/usr/bin/env bash
# Installs the real DICOM peers the interop tests start (PEERS.md §1, §5): Debian's dcmtk, orthanc,
# dicom3tools (dciodvfy) and python3-odil (Inventory FIND/GET/MOVE by another implementation),
# as root with apt, without starting Orthanc's system service (a policy-rc.d that answers 101,
# "action forbidden", for the length of the install). Does nothing when every tool is there.
# Used by .ci/run and by `npm test` (scripts/test.mjs); safe to run twice.
#   --check   only report: exit 0 when every tool is there, 1 (listing what is missing) otherwise.
set -euo pipefail

# Every program the peer launchers of tooling/test-utils start, and what the TLS tests need.
PEER_TOOLS=(storescp storescu echoscu findscu movescu getscu dcmsend dcmrecv dcmqrscp termscu
  dump2dcm dcmdump dcmconv dcmcrle dcmcjpeg Orthanc openssl dciodvfy)
PACKAGES=(dcmtk orthanc openssl dicom3tools python3-odil)
# odil is a Python module of Debian's own interpreter (the tests run /usr/bin/python3).
ODIL_CHECK=(/usr/bin/python3 -c 'import odil')

# Orthanc installs into /usr/sbin, which a non-login shell may lack.
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH="$PATH:/usr/sbin" ;; esac

missing_tools() {
  local tool
  for tool in "${PEER_TOOLS[@]}"; do command -v "$tool" >/dev/null || echo "$tool"; done
  "${ODIL_CHECK[@]}" 2>/dev/null || echo "python3-odil"
}

missing=$(missing_tools | tr '\n' ' ')
if [[ -z "$missing" ]]; then
  echo "peers: $(storescp --version 2>&1 | sed -n 1p); $(Orthanc --version 2>&1 | sed -n 1p)"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "missing: $missing"
  exit 1
fi
if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
  echo "missing: $missing; this installer needs root and apt-get (Debian or Ubuntu)" >&2
  exit 1
fi

echo "missing: $missing; installing ${PACKAGES[*]} with apt"
export DEBIAN_FRONTEND=noninteractive
created_policy=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then # keep a policy the image already ships
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
trap '[[ $created_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${PACKAGES[@]}"
# Tests start their own Orthanc on free ports (PEERS.md §4.3). A systemd-booted machine enables
# the system service at install even though policy-rc.d kept it from starting: keep it off.
if command -v systemctl >/dev/null && systemctl is-enabled orthanc >/dev/null 2>&1; then
  systemctl disable --now orthanc >/dev/null 2>&1 || true
fi

missing=$(missing_tools | tr '\n' ' ')
if [[ -n "$missing" ]]; then
  echo "still missing after install: $missing" >&2
  exit 1
fi
echo "peers: $(storescp --version 2>&1 | sed -n 1p); $(Orthanc --version 2>&1 | sed -n 1p)"
