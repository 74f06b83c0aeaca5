#!/usr/bin/env bash
# `make demo`: the whole monthly flow on a synthetic national world.
set -euo pipefail
FLIS=.venv/bin/flis
$FLIS contracts
$FLIS codelists
