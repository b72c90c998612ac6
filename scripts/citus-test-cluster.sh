#!/usr/bin/env bash
# Makes a Citus cluster for the Citus suite (npm run test:citus): builds and
# installs Citus for PostgreSQL 15 from its source (the shared build.sh, which
# does nothing when it is installed), then starts a coordinator and two
# workers on THREADLINE_CITUS_PORT (default 9700) and the next two ports,
# unless a Citus coordinator with two workers already answers there. Its last
# line of output is the coordinator's URL, for THREADLINE_TEST_CITUS_URL:
#   export THREADLINE_TEST_CITUS_URL=$(bash scripts/citus-test-cluster.sh | tail -n 1)
# Sourced, it exports the variable itself. Needs root (as CI runs).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${THREADLINE_CITUS_PORT:-9700}
url="postgres://postgres@127.0.0.1:$port/postgres"

# The Citus source with build.sh and cluster.sh, first found of these.
tried=()
src=
for dir in ${THREADLINE_CITUS_SRC:+"$THREADLINE_CITUS_SRC"} "$repo/../shared/citus" /work/shared/citus "$repo/.ci/citus"; do
  tried+=("$dir")
  if [ -f "$dir/build.sh" ] && [ -f "$dir/cluster.sh" ]; then src=$(cd "$dir" && pwd); break; fi
done
if [ -z "$src" ]; then
  echo "citus-test-cluster: no Citus source (build.sh and cluster.sh) found; tried: ${tried[*]} (set THREADLINE_CITUS_SRC)" >&2
  exit 1
fi

running() {
  [ "$(psql "$url" -qtAc "select count(*) from citus_get_active_worker_nodes()" 2>/dev/null)" = 2 ]
}

if running; then
  echo "citus-test-cluster: a coordinator with two workers already answers on $port" >&2
else
  if [ ! -f /usr/lib/postgresql/15/lib/citus.so ]; then
    # The Citus archive is patched for PostgreSQL 15.20's headers, which declare
    # have_createdb_privilege(); a machine that came with an older 15 fails to
    # compile it. Bring the server and its headers to the same, newest version
    # (the caller refreshes the package lists, as .ci/run does).
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-server-dev-15 >&2
  fi
  bash "$src/build.sh" >&2
  bash "$src/cluster.sh" "$port" >&2
  running || { echo "citus-test-cluster: the cluster on $port did not come up" >&2; exit 1; }
fi
export THREADLINE_TEST_CITUS_URL="$url"
echo "$url"
