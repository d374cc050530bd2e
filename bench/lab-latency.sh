#!/usr/bin/env bash
# The latency benchmark: the harness's tcp-rr against sockperf on the lab path, in the same run.
# Needs Docker and the base image (bash k3s-images/base/build-debian-base.sh). Prints figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost
mvn -q -B -ntp package -DskipTests
java -jar target/cilium-masq-harness.jar benchmark "$@"
