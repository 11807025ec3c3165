#!/usr/bin/env bash
# Lighthouse's four scores (performance, accessibility, best practices, SEO) for the sign-in
# page, Posts, Compose and Calendar, signed in, on the mobile preset in Debian's Chromium.
# Builds Herald (release) and installs Lighthouse first. Not part of the test command: scores
# are measurements to report, not checks. LIGHTHOUSE_RUNS=N takes the median of N runs (3).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT_DIR"

setup_tests
say "Building Herald (release)"
env -u RUSTFLAGS cargo leptos build --release --precompress
if [ ! -f scripts/lighthouse/node_modules/.package-lock.json ] ||
  [ scripts/lighthouse/package-lock.json -nt scripts/lighthouse/node_modules/.package-lock.json ]; then
  say "Installing Lighthouse"
  (cd scripts/lighthouse && npm ci --no-audit --no-fund)
fi
say "Measuring"
HERALD_BIN="$(target_dir)/release/herald" LEPTOS_SITE_ROOT="$ROOT_DIR/target/site" \
  node scripts/lighthouse/scores.mjs
