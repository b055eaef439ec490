#!/usr/bin/env bash
# THE test command of kflow (README; .ci/run runs exactly this): bash scripts/test.sh [go test args]
#
# Installs the test dependencies, runs the linter (scripts/lint.sh: golangci-lint with
# .golangci.yml over the whole module; any finding fails the run before a broker starts), starts a real Apache Kafka 4.x broker on free loopback
# ports in a temporary directory (stopped again on any exit), exports what the integration
# tests read:
#   KFLOW_TEST_BROKERS           bootstrap address of the broker
#   KFLOW_TEST_DOCKER_LISTENER   a listener that advertises the unresolvable kafka.invalid
#   KFLOW_KAFKA_LIBS             Kafka's classpath dir: java -cp "$KFLOW_KAFKA_LIBS/*" CLASS ...
#   KFLOW_KAFKA_VERSION
#   the broker's secure listeners and their credentials (scripts/kafka/start.sh says more):
#   KFLOW_TEST_SASL_BROKERS      SASL_PLAINTEXT: PLAIN, SCRAM-SHA-256/512, OAUTHBEARER (unsecured JWS)
#   KFLOW_TEST_SASL_USER         a super user (SCRAM-SHA-256/512 and PLAIN), and its password in
#   KFLOW_TEST_SASL_PASSWORD
#   KFLOW_TEST_SASL_USER2        an ordinary user with no ACLs at start, and its password in
#   KFLOW_TEST_SASL_PASSWORD2
#   KFLOW_TEST_TLS_BROKERS       SSL (server cert for 127.0.0.1 and localhost), signed by the CA in
#   KFLOW_TEST_TLS_CA            (PEM path)
#   KFLOW_TEST_MTLS_BROKERS      SSL with ssl.client.auth=required; the client cert and key (PEM
#   KFLOW_TEST_TLS_CLIENT_CERT   paths, CN=kflow-admin, the super user)
#   KFLOW_TEST_TLS_CLIENT_KEY
#   KFLOW_TEST_SASL_SSL_BROKERS  SASL_SSL: PLAIN, SCRAM-SHA-256/512 over TLS, same CA
#   KFLOW_TEST_TLS_EXPIRED_BROKERS  SSL whose server cert (same CA) expired in 2020
#   The broker runs the StandardAuthorizer (ACLs enforced); PLAINTEXT clients are a super user.
#   KFLOW_TEST_REGISTRY          a Schema Registry's Confluent API (Apicurio, built by
#                                scripts/schema-registry/install.sh, started beside the broker)
#   KFLOW_INTEROP_SERDE_JAR      the Java serde of the schema interop tests (java -jar JAR ...,
#                                built by scripts/interop/build.sh)
# and PATH (with kcat), then runs: go test -count=1 -timeout 20m ./... "$@"
#
# With KFLOW_TEST_BROKERS already set, no broker is started and that one is used (with
# whichever KFLOW_TEST_SASL_*/TLS_* variables the environment has: the tests of a listener that
# is not set skip, or fail under CI=true); likewise
# KFLOW_TEST_REGISTRY for the registry.
# If the broker, the registry or the interop serde cannot be built or started: with CI=true this
# fails; otherwise it warns and runs the tests without that variable (the tests that need it then
# skip themselves).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Fails under CI, warns otherwise.
no_kafka() {
  if [[ "${CI:-}" == "true" ]]; then
    echo "test.sh: ERROR: $* (CI=true: a real Kafka broker is required)" >&2
    exit 1
  fi
  echo "test.sh: WARNING: $*; running the tests without a Kafka broker" >&2
}

# Fails under CI, warns otherwise.
no_registry() {
  if [[ "${CI:-}" == "true" ]]; then
    echo "test.sh: ERROR: $* (CI=true: a real Schema Registry is required)" >&2
    exit 1
  fi
  echo "test.sh: WARNING: $*; running the tests without a Schema Registry" >&2
}

deps_ok=true
if ! bash scripts/install-deps.sh; then
  deps_ok=false
  no_kafka "installing the test dependencies (scripts/install-deps.sh) failed"
fi

# The lint gate: a finding fails the run here, with its FILE:LINE above.
if ! bash scripts/lint.sh; then
  echo "test.sh: ERROR: lint failed (scripts/lint.sh); the tests did not run" >&2
  exit 1
fi

libs=""
if $deps_ok; then
  libs="$(bash scripts/kafka/install.sh)"
fi

run_dir=""
reg_dir=""
keep_run_dir=false
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  if [[ -n "$reg_dir" ]]; then
    bash scripts/schema-registry/stop.sh "$reg_dir" >/dev/null 2>&1 || true
    if $keep_run_dir; then
      echo "test.sh: registry log kept in $reg_dir" >&2
    else
      rm -rf "$reg_dir"
    fi
  fi
  if [[ -n "$run_dir" ]]; then
    bash scripts/kafka/stop.sh "$run_dir" >/dev/null 2>&1 || true
    if $keep_run_dir; then
      echo "test.sh: broker logs kept in $run_dir" >&2
    else
      rm -rf "$run_dir"
    fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "${KFLOW_TEST_BROKERS:-}" ]]; then
  echo "test.sh: using KFLOW_TEST_BROKERS=$KFLOW_TEST_BROKERS from the environment" >&2
  export KFLOW_TEST_BROKERS
  if [[ -n "$libs" ]]; then
    export KFLOW_KAFKA_LIBS="${KFLOW_KAFKA_LIBS:-$libs}"
    version="$(bash -c 'source scripts/kafka/common.sh && echo "$KFLOW_KAFKA_VERSION"')"
    export KFLOW_KAFKA_VERSION="${KFLOW_KAFKA_VERSION:-$version}"
  fi
elif $deps_ok; then
  run_dir="$(mktemp -d "${TMPDIR:-/tmp}/kflow-kafka.XXXXXX")"
  if bash scripts/kafka/start.sh "$run_dir"; then
    # shellcheck disable=SC1091 # written by start.sh
    source "$run_dir/env"
    export KFLOW_TEST_BROKERS KFLOW_TEST_DOCKER_LISTENER KFLOW_KAFKA_LIBS KFLOW_KAFKA_VERSION \
      KFLOW_TEST_SASL_BROKERS KFLOW_TEST_SASL_USER KFLOW_TEST_SASL_PASSWORD \
      KFLOW_TEST_SASL_USER2 KFLOW_TEST_SASL_PASSWORD2 \
      KFLOW_TEST_TLS_BROKERS KFLOW_TEST_TLS_CA KFLOW_TEST_MTLS_BROKERS \
      KFLOW_TEST_TLS_CLIENT_CERT KFLOW_TEST_TLS_CLIENT_KEY KFLOW_TEST_SASL_SSL_BROKERS \
      KFLOW_TEST_TLS_EXPIRED_BROKERS
  else
    no_kafka "could not start the Kafka broker (scripts/kafka/start.sh)"
  fi
fi

if [[ -n "${KFLOW_TEST_REGISTRY:-}" ]]; then
  echo "test.sh: using KFLOW_TEST_REGISTRY=$KFLOW_TEST_REGISTRY from the environment" >&2
  export KFLOW_TEST_REGISTRY
elif ! bash scripts/schema-registry/install.sh >/dev/null; then
  no_registry "building the Schema Registry (scripts/schema-registry/install.sh) failed"
else
  reg_dir="$(mktemp -d "${TMPDIR:-/tmp}/kflow-registry.XXXXXX")"
  if bash scripts/schema-registry/start.sh "$reg_dir"; then
    # shellcheck disable=SC1091 # written by start.sh
    source "$reg_dir/env"
    export KFLOW_TEST_REGISTRY
  else
    no_registry "could not start the Schema Registry (scripts/schema-registry/start.sh)"
  fi
fi

if [[ -n "${KFLOW_INTEROP_SERDE_JAR:-}" ]]; then
  echo "test.sh: using KFLOW_INTEROP_SERDE_JAR=$KFLOW_INTEROP_SERDE_JAR from the environment" >&2
  export KFLOW_INTEROP_SERDE_JAR
elif serde_jar="$(bash scripts/interop/build.sh)"; then
  export KFLOW_INTEROP_SERDE_JAR="$serde_jar"
elif [[ "${CI:-}" == "true" ]]; then
  echo "test.sh: ERROR: building the interop serde (scripts/interop/build.sh) failed (CI=true: the Java interop tests must run)" >&2
  exit 1
else
  echo "test.sh: WARNING: building the interop serde (scripts/interop/build.sh) failed; the Java interop tests skip" >&2
fi

case ":$PATH:" in
  *:/usr/bin:*) ;;
  *) PATH="$PATH:/usr/bin" ;;
esac
export PATH

rc=0
go test -count=1 -timeout 20m ./... "$@" || rc=$?
if ((rc != 0)); then
  keep_run_dir=true
fi
exit "$rc"
