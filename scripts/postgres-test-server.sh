#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster and makes the role and database the test
# suite uses (THREADLINE_TEST_PG_URL's default). Idempotent; needs root.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
ready() {
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 && break
    sleep 1
  done
  pg_isready -h 127.0.0.1
}
# A machine whose disk outlived its processes (an image taken while the server
# ran) keeps postmaster.pid and the socket's lock file. pg_ctlcluster counts the
# server as running when that PID now names any process with "postgres" in its
# command line (a Citus node, `su postgres -c ...`), and PostgreSQL itself refuses
# to start while the PID is alive. A live postmaster's working directory is its
# data directory: a lock naming any other process is stale, and goes.
read -r port data < <(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3, $6}')
held() { [ "$(readlink -f "/proc/$(head -n 1 "$1")/cwd" 2>/dev/null)" = "$(readlink -f "$data")" ]; }
for lock in "$data/postmaster.pid" "/var/run/postgresql/.s.PGSQL.$port.lock"; do
  if [ -f "$lock" ] && ! held "$lock"; then
    echo "postgres: removing stale $lock (PID $(head -n 1 "$lock") is not this cluster's server)"
    rm -f "$lock"
  fi
done
pg_ctlcluster "$version" main start 2>/dev/null || true
ready
# A server started before its packages were upgraded (scripts/citus-test-cluster.sh
# brings them to the newest) runs the old binary against the new libraries, and
# loading one (plpgsql) fails with an undefined symbol: restart it on the new one.
running=$(psql_admin "show server_version" | awk '{print $1}')
installed=$("/usr/lib/postgresql/$version/bin/postgres" --version | awk '{print $3}')
if [ "$running" != "$installed" ]; then
  echo "postgres: restarting $version main ($running running, $installed installed)"
  pg_ctlcluster "$version" main restart
  ready
fi
[ "$(psql_admin "select 1 from pg_roles where rolname='threadline'")" = 1 ] ||
  psql_admin "create role threadline login password 'threadline'"
[ "$(psql_admin "select 1 from pg_database where datname='threadline_test'")" = 1 ] ||
  psql_admin "create database threadline_test owner threadline"
echo "postgres: $version main up, database threadline_test ready"
