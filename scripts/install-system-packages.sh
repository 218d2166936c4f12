#!/usr/bin/env bash
# Installs the system packages the test suite drives as real peers: Debian's Chromium (browser tests),
# Prometheus (the metrics-source test), and HAProxy and nginx (the agent's traffic-router tests, which
# start their own instances; the packages' system services are not needed). Nothing is downloaded
# outside Debian's archive.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
# The tests run /usr/sbin/haproxy and /usr/sbin/nginx, which a non-root PATH may not include.
[[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "system packages present: chromium, prometheus, haproxy, nginx"
  exit 0
fi
sudo_cmd=()
[[ "$(id -u)" -eq 0 ]] || sudo_cmd=(sudo)
echo "installing ${missing[*]} from Debian's packages"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
