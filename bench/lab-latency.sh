#!/usr/bin/env bash
# The latency benchmark, like with like on the lab path in the same run: the harness's closed loop against
# sockperf ping-pong, its open loop against sockperf under-load at the same rate (bench/README.md).
# Needs Docker and the base image (bash k3s-images/base/build-debian-base.sh). Prints figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost
mvn -q -B -ntp package -DskipTests
java -jar target/cilium-masq-harness.jar benchmark "$@"
