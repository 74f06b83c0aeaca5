#!/usr/bin/env bash
# `make demo`: a synthetic national world run through the monthly flow.
# DEMO_SCALE (default 0.05 = 5 % of Denmark) and DEMO_MONTHS can be overridden.
set -euo pipefail
FLIS=.venv/bin/flis
export FLIS_DEMO=1
export FLIS_HOME="${FLIS_HOME:-$PWD/flis-home}"
SCALE="${DEMO_SCALE:-0.05}"
MONTHS="${DEMO_MONTHS:-2023-10:2024-10}"
WORLD="${DEMO_WORLD:-$PWD/demo-world}"  # outside FLIS_HOME: ingest never reads its own state

echo "== flis demo: scale $SCALE, months $MONTHS, state in $FLIS_HOME"
rm -rf "$WORLD" "$FLIS_HOME/warehouse.duckdb" "$FLIS_HOME/warehouse.duckdb.wal" "$FLIS_HOME/landing"
$FLIS generate --out "$WORLD" --scale "$SCALE" --months "$MONTHS" --seed 1 --faults realistic
echo "Faults injected (ground truth): $WORLD/faults.json"

echo "== Ingest month by month, each as if it arrived on the 5th of the following month"
echo "   (exit 1 is expected: the realistic faults reject some deliveries)"
for month in $(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))['arguments']['months']))" "$WORLD/manifest.json"); do
  arrived="$(date -u -d "$month-01 +1 month" +%Y-%m-05T08:00:00)"
  $FLIS ingest "$WORLD"/*/*/"$month" --received-at "$arrived" >/dev/null || [ $? -eq 1 ]
  echo "   $month ingested (received $arrived)"
done
$FLIS deliveries --matrix
echo "== Rejected deliveries (see their findings with: flis deliveries show ID)"
$FLIS deliveries --status rejected

echo "== Key figures for every municipality and month, and the comparison groups"
$FLIS build
$FLIS groups build
LAST="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['arguments']['months'][-1])" "$WORLD/manifest.json")"
echo "== Benchmark: Odense (461), pupil absence, $LAST, against similar municipalities"
$FLIS benchmark --municipality 461 --keyfigure skole.elevfravaer --period "$LAST" --group similar

echo "== Subscriptions and the monthly release"
$FLIS subscriptions add --municipality 461 --dataset benchmark --format parquet,csv,xlsx
$FLIS subscriptions add --municipality 461 --dataset detail --format parquet,csv
$FLIS subscriptions add --municipality 101 --dataset institutions --format csv,xlsx
$FLIS subscriptions add --municipality 851 --dataset benchmark --format xlsx
$FLIS release
$FLIS releases
echo "Release folders:       $FLIS_HOME/releases/"
echo "Subscription outboxes: $FLIS_HOME/outbox/<municipality>/<release id>/"
ls "$FLIS_HOME/outbox/"*/*

echo "== The API: a demo analyst token for Odense (461), then flis serve (Ctrl-C stops it)"
TOKEN="$($FLIS tokens create --municipality 461 --role analyst --expires 7 --json | python3 -c "import json,sys; print(json.load(sys.stdin)['token'])")"
PORT="${DEMO_PORT:-8000}"
echo "   API:     http://127.0.0.1:$PORT/api/v1/  (OpenAPI: http://127.0.0.1:$PORT/openapi.json)"
echo "   OData:   http://127.0.0.1:$PORT/odata/"
echo "   Token:   $TOKEN"
echo "   Example: curl -H 'Authorization: Bearer $TOKEN' 'http://127.0.0.1:$PORT/api/v1/values?keyfigure=skole.elevfravaer&municipality=461,nation'"

# The cockpit's demo sign-in: a known password, so only ever in demo mode (a fresh warehouse).
DEMO_USER=odense-demo
DEMO_PASSWORD=odense-demo-2024
if [ "$FLIS_DEMO" = "1" ]; then
  echo "$DEMO_PASSWORD" | $FLIS users add "$DEMO_USER" --role analyst --municipality 461 --password-stdin
  echo "== The cockpit (Danish; English via the link in the header)"
  echo "   Cockpit: http://127.0.0.1:$PORT/cockpit/"
  echo "   Sign in: user $DEMO_USER, password $DEMO_PASSWORD (analyst, Odense 461)"
fi
if [ "${DEMO_SERVE:-1}" = "1" ]; then
  exec $FLIS serve --host 127.0.0.1 --port "$PORT"
fi
