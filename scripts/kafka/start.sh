#!/usr/bin/env bash
# Starts a real single-node Apache Kafka 4.x broker (KRaft combined mode) on loopback for
# kflow's tests, with its state in DIR, and returns once the broker answers a metadata request.
#
#   scripts/kafka/start.sh DIR
#   scripts/kafka/start.sh --restart DIR   # the broker of DIR again: same data, ports, certs, users
#   scripts/kafka/start.sh --brokers 3 DIR # a 3-node PLAINTEXT cluster instead (see cluster.sh)
#
# Picks free loopback ports, so concurrent runs never collide. Listeners, all on one broker:
#   PLAINTEXT://127.0.0.1:PORT     the normal client listener
#   CONTROLLER://127.0.0.1:CPORT   the KRaft controller (not for clients)
#   DOCKER://127.0.0.1:DPORT       advertised as kafka.invalid:DPORT, reproducing the commonest
#                                  Docker mistake (advertised host clients cannot resolve), for
#                                  tests of kflow's connection doctor
#   SASL://127.0.0.1:P             SASL_PLAINTEXT: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and
#                                  OAUTHBEARER (Kafka's default unsecured JWS validator: an
#                                  unsigned JWT, alg "none", with sub/iat/exp; sub is the user)
#   TLS://127.0.0.1:P              SSL, server cert signed by the CA below (SANs 127.0.0.1,
#                                  localhost), no client certificate asked
#   MTLS://127.0.0.1:P             SSL with ssl.client.auth=required (mutual TLS)
#   SASLSSL://127.0.0.1:P          SASL_SSL: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 over TLS
#   TLSEXPIRED://127.0.0.1:P       SSL whose server cert (same CA, same SANs) expired in 2020
# Users (made at start, random passwords): KFLOW_TEST_SASL_USER (kflow-admin), a super user,
# and KFLOW_TEST_SASL_USER2 (kflow-user) with no ACLs; both SCRAM-SHA-256/512 (stored by
# `kafka-storage format --add-scram`) and PLAIN (in the listeners' JAAS config).
# TLS material (openssl, EC P-256, made on the first start, kept by --restart) is in DIR/tls:
# ca.pem (the CA), server.pem, expired.pem (key + chain, Kafka's PEM keystores), client.crt
# and client.key (the mTLS client cert, CN=kflow-admin).
# Authorizer: StandardAuthorizer, allow.everyone.if.no.acl.found=false,
# super.users=User:ANONYMOUS;User:kflow-admin. PLAINTEXT, DOCKER, CONTROLLER and the SSL
# listeners without client auth are ANONYMOUS (so every PLAINTEXT test works unchanged); SASL
# principals are User:<name> (OAUTHBEARER: User:<sub>); an mTLS client is mapped by
# ssl.principal.mapping.rules from its subject CN=<name> to User:<name>, so the client cert
# here is the super user kflow-admin.
# Writes into DIR: server.properties, data/ (log.dirs), logs/server.log, kafka.log (console
# output), kafka.pid, tls/, and env, a sourceable file of KEY=VALUE lines:
#   KFLOW_TEST_BROKERS, KFLOW_TEST_DOCKER_LISTENER, KFLOW_KAFKA_LIBS, KFLOW_KAFKA_VERSION,
#   KFLOW_TEST_SASL_BROKERS, KFLOW_TEST_SASL_USER, KFLOW_TEST_SASL_PASSWORD,
#   KFLOW_TEST_SASL_USER2, KFLOW_TEST_SASL_PASSWORD2, KFLOW_TEST_TLS_BROKERS, KFLOW_TEST_TLS_CA,
#   KFLOW_TEST_MTLS_BROKERS, KFLOW_TEST_TLS_CLIENT_CERT, KFLOW_TEST_TLS_CLIENT_KEY,
#   KFLOW_TEST_SASL_SSL_BROKERS, KFLOW_TEST_TLS_EXPIRED_BROKERS, KFLOW_TEST_BROKER_PID (the
#   broker's process, whose CPU time the benchmarks report).
# Stop it with scripts/kafka/stop.sh DIR. Exits non-zero (after printing the broker's log
# tail) when the broker does not become ready within KFLOW_KAFKA_START_TIMEOUT seconds (60).
set -euo pipefail

restart=false
if [[ "${1:-}" == "--brokers" ]]; then
  if [[ "${2:-}" != "1" ]]; then
    exec bash "$(dirname "${BASH_SOURCE[0]}")/cluster.sh" "${@:2}"
  fi
  shift 2
fi
if [[ "${1:-}" == "--restart" ]]; then
  restart=true
  shift
fi
if [[ $# -ne 1 ]]; then
  echo "usage: $0 [--restart] DIR" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/kafka/common.sh
source "$here/common.sh"

mkdir -p "$1"
dir="$(cd "$1" && pwd)"
timeout_s="${KFLOW_KAFKA_START_TIMEOUT:-60}"
java_bin="${JAVA:-java}"

if [[ -f "$dir/kafka.pid" ]] && kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null; then
  echo "start.sh: a broker is already running from $dir (pid $(cat "$dir/kafka.pid"))" >&2
  exit 1
fi

libs="$(kflow_kafka_libs || "$here/install.sh")"

# Prints a random password: distinctive (tests grep outputs for it) and free of characters
# that JAAS or --add-scram would need quoted.
new_password() {
  printf 'kflow-pw-%s\n' "$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
}

# Makes DIR/tls: a CA, a server cert for 127.0.0.1/localhost, the same expired (2020), and a
# client cert CN=$1 for mutual TLS. EC P-256 keys: the whole set takes well under a second.
make_tls() {
  local client_cn="$1" t="$dir/tls"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  rm -rf "$t"
  mkdir -p "$t/ca-db"
  (
    set -e
    cd "$t"
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 3650 -subj "/CN=kflow test CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl req "${ec[@]}" -keyout server.key -out server.csr -subj "/CN=localhost"
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 3650 \
      -extfile server.ext -out server.crt
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl req "${ec[@]}" -keyout client.key -out client.csr -subj "/CN=$client_cn"
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -set_serial 3 -days 3650 \
      -extfile client.ext -out client.crt
    # openssl x509 cannot date a cert in the past; openssl ca can (-startdate/-enddate).
    : >ca-db/index.txt
    echo 04 >ca-db/serial
    cat >ca.cnf <<CNF
[ca]
default_ca = kflow
[kflow]
database = $t/ca-db/index.txt
new_certs_dir = $t/ca-db
serial = $t/ca-db/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
CNF
    openssl req "${ec[@]}" -keyout expired.key -out expired.csr -subj "/CN=localhost" \
      -addext subjectAltName=IP:127.0.0.1,DNS:localhost
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr \
      -out expired.crt -startdate 20200101000000Z -enddate 20200102000000Z -notext
    # Kafka's PEM keystore: the PKCS#8 key, then the chain.
    cat server.key server.crt ca.pem >server.pem
    cat expired.key expired.crt ca.pem >expired.pem
  ) >"$dir/tls.log" 2>&1
}

# Writes server.properties for the ports in the array ports (order: PLAINTEXT, CONTROLLER,
# DOCKER, SASL, TLS, MTLS, SASLSSL, TLSEXPIRED) and the users in sasl_user/sasl_password and
# sasl_user2/sasl_password2.
write_config() {
  local port="${ports[0]}" cport="${ports[1]}" dport="${ports[2]}" sport="${ports[3]}"
  local tport="${ports[4]}" mport="${ports[5]}" ssport="${ports[6]}" eport="${ports[7]}"
  local t="$dir/tls" l
  local plain_jaas="org.apache.kafka.common.security.plain.PlainLoginModule required user_$sasl_user=\"$sasl_password\" user_$sasl_user2=\"$sasl_password2\";"
  local scram_jaas="org.apache.kafka.common.security.scram.ScramLoginModule required;"
  cat >"$dir/server.properties" <<EOF
# Written by scripts/kafka/start.sh: a single-node KRaft broker+controller for kflow's tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport,DOCKER://127.0.0.1:$dport,SASL://127.0.0.1:$sport,TLS://127.0.0.1:$tport,MTLS://127.0.0.1:$mport,SASLSSL://127.0.0.1:$ssport,TLSEXPIRED://127.0.0.1:$eport
# DOCKER is deliberately misadvertised: kafka.invalid never resolves (RFC 2606).
advertised.listeners=PLAINTEXT://127.0.0.1:$port,DOCKER://kafka.invalid:$dport,SASL://127.0.0.1:$sport,TLS://127.0.0.1:$tport,MTLS://127.0.0.1:$mport,SASLSSL://127.0.0.1:$ssport,TLSEXPIRED://127.0.0.1:$eport
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,DOCKER:PLAINTEXT,SASL:SASL_PLAINTEXT,TLS:SSL,MTLS:SSL,SASLSSL:SASL_SSL,TLSEXPIRED:SSL
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data

# ACLs enforced; PLAINTEXT/CONTROLLER/TLS (ANONYMOUS) and the admin user may do anything.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:ANONYMOUS;User:$sasl_user

# TLS: one PEM keystore and truststore for every SSL/SASL_SSL listener; TLSEXPIRED has its own.
ssl.keystore.type=PEM
ssl.keystore.location=$t/server.pem
ssl.truststore.type=PEM
ssl.truststore.location=$t/ca.pem
listener.name.tlsexpired.ssl.keystore.location=$t/expired.pem
listener.name.mtls.ssl.client.auth=required
# An mTLS client with subject CN=NAME is User:NAME.
ssl.principal.mapping.rules=RULE:^CN=([^,]*).*\$/\$1/,DEFAULT

# SASL: SCRAM users live in the metadata log (kafka-storage format --add-scram), PLAIN users in
# the JAAS config; OAUTHBEARER with no handler configured is Kafka's unsecured JWS validator.
listener.name.sasl.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER
listener.name.saslssl.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
EOF
  for l in sasl saslssl; do
    cat >>"$dir/server.properties" <<EOF
listener.name.$l.plain.sasl.jaas.config=$plain_jaas
listener.name.$l.scram-sha-256.sasl.jaas.config=$scram_jaas
listener.name.$l.scram-sha-512.sasl.jaas.config=$scram_jaas
EOF
  done
  cat >>"$dir/server.properties" <<EOF
listener.name.sasl.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;

# One broker: every internal topic with one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
# Fewer partitions for internal topics than the default 50: quicker first group/transaction.
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5
share.coordinator.state.topic.num.partitions=5

group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.partitions=1

# The test machines have 2 cores: keep the thread pools small.
num.network.threads=2
num.io.threads=4
background.threads=4
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=16777216
EOF
}

# Succeeds when the broker answers a metadata request on the PLAINTEXT listener.
broker_ready() {
  local port="$1" out
  # Cheap check first: is anything accepting connections yet?
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    return 1
  fi
  if command -v kcat >/dev/null 2>&1; then
    out="$(kcat -b "127.0.0.1:$port" -L -m 5 2>/dev/null)" || return 1
    [[ "$out" == *"broker ${KFLOW_NODE_ID:-1} at 127.0.0.1:$port"* ]]
  else
    "$java_bin" -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
      -Dlog4j2.configurationFile="$here/tools-log4j2.properties" -cp "$libs/*" \
      org.apache.kafka.tools.BrokerApiVersionsCommand \
      --bootstrap-server "127.0.0.1:$port" >/dev/null 2>&1
  fi
}

print_logs() {
  echo "---- tail of $dir/kafka.log ----" >&2
  tail -n 40 "$dir/kafka.log" >&2 2>/dev/null || true
  echo "---- tail of $dir/logs/server.log ----" >&2
  tail -n 40 "$dir/logs/server.log" >&2 2>/dev/null || true
}

bind_failed() {
  grep -qsE 'BindException|Address already in use' "$dir/kafka.log" "$dir/logs/server.log"
}

# Starts the broker of DIR in the background (its console output appended to kafka.log, so a
# restart keeps the earlier run's lines) and records its pid.
launch() {
  # shellcheck disable=SC2086 # KFLOW_KAFKA_JAVA_OPTS is a list of options
  # shellcheck disable=SC2086 # KFLOW_KAFKA_HEAP_OPTS is a list of options
  "$java_bin" ${KFLOW_KAFKA_HEAP_OPTS:--Xmx512m -Xms256m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dkafka.logs.dir="$dir/logs" -Dlog4j2.configurationFile="$here/log4j2.properties" \
    ${KFLOW_KAFKA_JAVA_OPTS:-} -cp "$libs/*" kafka.Kafka "$dir/server.properties" \
    </dev/null >>"$dir/kafka.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/kafka.pid"
}

# Succeeds once the broker launched last answers on PORT; fails when it exits first or
# the start timeout passes.
wait_ready() {
  local port="$1" deadline=$((SECONDS + timeout_s))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    if broker_ready "$port"; then
      return 0
    fi
    sleep 0.25
  done
  return 1
}

started_ms=$(now_ms)

if $restart; then
  # shellcheck disable=SC1091 # written by the first start
  source "$dir/env" 2>/dev/null || {
    echo "start.sh: --restart: no $dir/env (was a broker ever started from $dir?)" >&2
    exit 1
  }
  port="${KFLOW_TEST_BROKERS##*:}"
  launch
  if ! wait_ready "$port"; then
    echo "start.sh: restarted broker (pid $pid) not ready on port $port" >&2
    print_logs
    exit 1
  fi
  echo "start.sh: Kafka $KFLOW_KAFKA_VERSION restarted at 127.0.0.1:$port (pid $pid, ready in $(($(now_ms) - started_ms)) ms)" >&2
  exit 0
fi

sasl_user=kflow-admin sasl_user2=kflow-user
sasl_password="$(new_password)" sasl_password2="$(new_password)"
if ! make_tls "$sasl_user"; then
  echo "start.sh: making the TLS certificates in $dir/tls failed:" >&2
  cat "$dir/tls.log" >&2
  exit 1
fi

max_attempts=3
for attempt in $(seq 1 "$max_attempts"); do
  mapfile -t ports < <(free_ports 8)
  if [[ ${#ports[@]} -ne 8 ]]; then
    echo "start.sh: could not pick free ports" >&2
    exit 1
  fi
  port="${ports[0]}"
  write_config

  rm -rf "$dir/data" "$dir/logs" "$dir/kafka.log" "$dir/kafka.pid" "$dir/env"
  mkdir -p "$dir/logs"
  : >"$dir/kafka.log"

  cluster_id="$(new_cluster_id)"
  # Static quorum (controller.quorum.voters), so no --standalone: Kafka 4.x rejects it there.
  if ! "$java_bin" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$libs/*" \
    -Dlog4j2.configurationFile="$here/tools-log4j2.properties" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
    --add-scram "SCRAM-SHA-256=[name=$sasl_user,password=$sasl_password]" \
    --add-scram "SCRAM-SHA-512=[name=$sasl_user,password=$sasl_password]" \
    --add-scram "SCRAM-SHA-256=[name=$sasl_user2,password=$sasl_password2]" \
    --add-scram "SCRAM-SHA-512=[name=$sasl_user2,password=$sasl_password2]" \
    >"$dir/format.log" 2>&1; then
    echo "start.sh: formatting $dir/data failed:" >&2
    cat "$dir/format.log" >&2
    exit 1
  fi

  launch
  if wait_ready "$port"; then
    break
  fi

  if ! kill -0 "$pid" 2>/dev/null && bind_failed && ((attempt < max_attempts)); then
    echo "start.sh: a port was taken meanwhile, retrying with new ports" >&2
    continue
  fi

  if kill -0 "$pid" 2>/dev/null; then
    echo "start.sh: broker (pid $pid) not ready after ${timeout_s}s" >&2
  else
    echo "start.sh: broker (pid $pid) exited during startup" >&2
  fi
  print_logs
  "$here/stop.sh" "$dir" >/dev/null 2>&1 || true
  exit 1
done

{
  printf 'KFLOW_TEST_BROKERS=%q\n' "127.0.0.1:$port"
  printf 'KFLOW_TEST_DOCKER_LISTENER=%q\n' "127.0.0.1:${ports[2]}"
  printf 'KFLOW_KAFKA_LIBS=%q\n' "$libs"
  printf 'KFLOW_KAFKA_VERSION=%q\n' "$KFLOW_KAFKA_VERSION"
  printf 'KFLOW_TEST_SASL_BROKERS=%q\n' "127.0.0.1:${ports[3]}"
  printf 'KFLOW_TEST_SASL_USER=%q\n' "$sasl_user"
  printf 'KFLOW_TEST_SASL_PASSWORD=%q\n' "$sasl_password"
  printf 'KFLOW_TEST_SASL_USER2=%q\n' "$sasl_user2"
  printf 'KFLOW_TEST_SASL_PASSWORD2=%q\n' "$sasl_password2"
  printf 'KFLOW_TEST_TLS_BROKERS=%q\n' "127.0.0.1:${ports[4]}"
  printf 'KFLOW_TEST_TLS_CA=%q\n' "$dir/tls/ca.pem"
  printf 'KFLOW_TEST_MTLS_BROKERS=%q\n' "127.0.0.1:${ports[5]}"
  printf 'KFLOW_TEST_TLS_CLIENT_CERT=%q\n' "$dir/tls/client.crt"
  printf 'KFLOW_TEST_TLS_CLIENT_KEY=%q\n' "$dir/tls/client.key"
  printf 'KFLOW_TEST_SASL_SSL_BROKERS=%q\n' "127.0.0.1:${ports[6]}"
  printf 'KFLOW_TEST_TLS_EXPIRED_BROKERS=%q\n' "127.0.0.1:${ports[7]}"
  printf 'KFLOW_TEST_BROKER_PID=%q\n' "$pid"
} >"$dir/env.tmp"
mv "$dir/env.tmp" "$dir/env"

echo "start.sh: Kafka $KFLOW_KAFKA_VERSION ready at 127.0.0.1:$port (pid $pid, ready in $(($(now_ms) - started_ms)) ms)" >&2
