#!/usr/bin/env bash
# Coverage-guided fuzzing of Squall's parsers of untrusted bytes (Jazzer: libFuzzer in the JVM).
#
#   bench/scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   fuzz each target (default: all, 60 s each)
#   bench/scripts/fuzz.sh selftest [SECONDS]                 prove the fuzzing is coverage-guided
#   bench/scripts/fuzz.sh list                               print the targets
#
# A TARGET is module:Class#method, e.g. core:io.squall.http1.HttpParserFuzzTest#requestHead. Each runs
# in its own JVM (Jazzer fuzzes one test per JVM), in Surefire's fast-mode execution only. Inputs that
# make a target fail are written by Jazzer to the target's regression directory,
# src/test/resources/<package>/<Class>Inputs/<method>/crash-*, which `./mvnw verify` replays (a new
# target needs that directory with a seed input in it, or Jazzer writes to the module's root): fix the
# bug, then commit the file. Inputs that reached new code go to <module>/.cifuzz-corpus/ (ignored by
# git) and seed the next run. Logs: target/fuzz/<Class>-<method>.log. Exit status 1 if a target failed.
#
# selftest fuzzes io.squall.fuzz.PlantedBugFuzzTest, whose bug hides behind a four-byte magic value
# compared byte by byte: it passes only if the fuzzer finds the bug (seconds when coverage guides it;
# about 2^32 tries for blind inputs), then deletes the crash file it wrote.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

targets=(
  core:io.squall.http1.HttpParserFuzzTest#requestHead
  core:io.squall.http1.HttpParserFuzzTest#responseHead
  core:io.squall.http1.HttpParserFuzzTest#chunkedBody
  core:io.squall.http1.HttpParserFuzzTest#chunkedRoundTrip
  core:io.squall.http1.HttpParserFuzzTest#bodyFraming
  core:io.squall.http1.HeadReaderFuzzTest#splitHeads
  core:io.squall.http.HttpUtilFuzzTest#queryString
  core:io.squall.http.HttpUtilFuzzTest#formRoundTrip
  core:io.squall.http.HttpUtilFuzzTest#hostAndPort
  web:io.squall.web.CookieFuzzTest#cookieHeader
  web:io.squall.web.CookieFuzzTest#setCookieRoundTrip
  web:io.squall.web.multipart.MultipartParserFuzzTest#body
  web:io.squall.web.multipart.MultipartParserFuzzTest#contentType
  web:io.squall.web.security.SignedValuesFuzzTest#decode
  web:io.squall.web.security.SignedValuesFuzzTest#roundTrip
  websocket:io.squall.websocket.FrameDecoderFuzzTest#frames
)

# fuzz MODULE CLASS METHOD SECONDS [extra Maven args]: fuzzes one target; its log in target/fuzz/
fuzz() {
  local module=$1 class=$2 method=$3 secs=$4; shift 4
  local log="$root/target/fuzz/${class##*.}-$method.log"
  mkdir -p "$root/target/fuzz"
  echo "fuzz: $module $class#$method for ${secs}s" >&2
  # -Djazzer.hooks=true overrides the test resources' junit-platform.properties, which keep Jazzer's
  # agent (and with it the coverage instrumentation) off in normal test runs.
  JAZZER_FUZZ=1 "$root/mvnw" -B -o -pl "$module" -am test-compile surefire:test@default-test \
      -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.hooks=true -Djazzer.instrument='io.squall.**' -Djazzer.max_duration="${secs}s" "$@" \
      >"$log" 2>&1
  local status=$?
  grep -aE '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs' "$log" | tail -2 | sed 's/^/  /' >&2
  grep -a 'Test unit written to' "$log" | sed 's/^.*Test unit written to /  finding: /' >&2
  return $status
}

case "${1:-}" in
  list)
    printf '%s\n' "${targets[@]}"
    exit 0 ;;
  selftest)
    secs=${2:-120}
    dir=core/src/test/resources/io/squall/fuzz/PlantedBugFuzzTestInputs/magic
    start=$(date +%s)
    fuzz core io.squall.fuzz.PlantedBugFuzzTest magic "$secs" -Dsquall.fuzz.selfTest=true
    log="$root/target/fuzz/PlantedBugFuzzTest-magic.log"
    found=$(ls "$dir"/crash-* 2>/dev/null | head -1)
    if [ -n "$found" ] && grep -aq 'planted bug found' "$log"; then
      echo "selftest: the fuzzer found the planted bug after $(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')" \
        "runs, $(( $(date +%s) - start )) s including the build; input: $(head -c 16 "$found" | od -An -c | tr -s ' ')" >&2
      rm -rf "$root/core/src/test/resources/io/squall/fuzz"
      exit 0
    fi
    echo "selftest FAILED: no crash in ${secs}s; is the code instrumented for coverage? see $log" >&2
    exit 1 ;;
esac

secs=60
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  secs=$1; shift
fi
[ $# -gt 0 ] && targets=("$@")
failed=()
for t in "${targets[@]}"; do
  module=${t%%:*}; rest=${t#*:}
  fuzz "$module" "${rest%#*}" "${rest#*#}" "$secs" || failed+=("$t")
done
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: failed (crash inputs under src/test/resources, logs in target/fuzz/): %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${secs}s without a finding" >&2
