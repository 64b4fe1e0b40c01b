#!/usr/bin/env bash
# The README's "Use it from Java" as a user does it, in a separate Maven project (examples/consumer): install this
# repository into the local Maven repository (the artifacts are not published), build the consumer against it, and
# run its main() on the shipped policy. Fails when the dependency does not resolve, the example does not compile or
# does not run. examples/consumer/src/main/java/RobotLoop.java is the README's block (ReadmeExampleTest checks that).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MVN_OPTS=(-q -B)
[ -n "${OFFLINE:-}" ] && MVN_OPTS+=(-o)
echo "consumer-check: mvn install (this repository, tests skipped) ..."
mvn "${MVN_OPTS[@]}" install -DskipTests
echo "consumer-check: building examples/consumer against org.steppolicy:step-infer ..."
(cd examples/consumer && mvn "${MVN_OPTS[@]}" package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
CP="examples/consumer/target/classes:$(cat examples/consumer/target/classpath.txt)"
OMP_NUM_THREADS=1 java -cp "$CP" RobotLoop models/pusht-lowdim
echo "consumer-check: OK (RobotLoop ran 300 steps of step:2 on models/pusht-lowdim)"
