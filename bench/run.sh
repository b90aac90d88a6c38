#!/usr/bin/env bash
# Compares lifeboat with a networkx script on the same generated map:
# generates the benchmark map as CSV, times lifeboat on it (CLI end to end
# and the Go benchmarks), runs bench/networkx_blast.py on the same files
# and prints the ratios. See bench/README.md.
#
# Environment (defaults in brackets):
#   FUNCTIONS [1000] SYSTEMS [89000] VENDORS [10000] SEED [7]  the map
#   SAMPLE [100]     vendors networkx analyses (0 = all; hours at 100k nodes)
#   GO_BENCH [1]     also run the repository's Sweep|Static|Load benchmarks
#   KEEP [0]         keep the work folder
set -euo pipefail

FUNCTIONS=${FUNCTIONS:-1000}
SYSTEMS=${SYSTEMS:-89000}
VENDORS=${VENDORS:-10000}
SEED=${SEED:-7}
SAMPLE=${SAMPLE:-100}
GO_BENCH=${GO_BENCH:-1}
KEEP=${KEEP:-0}

cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/lifeboat-bench.XXXXXX")
if [ "$KEEP" = 1 ]; then
	echo "work folder: $work"
else
	trap 'rm -rf "$work"' EXIT
fi

now() { python3 -c 'import time; print(time.perf_counter())'; }

# seconds CMD...: runs CMD, prints its wall time in seconds (and peak memory
# when GNU time is installed) to $work/last.time.
seconds() {
	if /usr/bin/time -f '%e %M' true >/dev/null 2>&1; then
		/usr/bin/time -o "$work/last.time" -f '%e %M' "$@"
	else
		local t0 t1
		t0=$(now)
		"$@"
		t1=$(now)
		python3 -c "print(round($t1 - $t0, 3), 0)" >"$work/last.time"
	fi
}

echo "== building lifeboat"
go build -o "$work/lifeboat" ./cmd/lifeboat

echo "== lifeboat gen --functions $FUNCTIONS --systems $SYSTEMS --vendors $VENDORS --seed $SEED --format csv"
seconds "$work/lifeboat" gen --functions "$FUNCTIONS" --systems "$SYSTEMS" --vendors "$VENDORS" \
	--seed "$SEED" --format csv -o "$work/ws"
cp "$work/last.time" "$work/gen.time"
du -sh "$work/ws/map"

echo "== lifeboat validate (load, build, validate)"
seconds "$work/lifeboat" validate --workspace "$work/ws" >"$work/validate.out" 2>&1 || true
cp "$work/last.time" "$work/validate.time"
tail -n 3 "$work/validate.out"

echo "== lifeboat analyze --format json (load, build, sweep, report)"
seconds "$work/lifeboat" analyze --workspace "$work/ws" --format json >"$work/analyze.json"
cp "$work/last.time" "$work/analyze.time"

echo "== Go benchmarks on the same map (bench/)"
BENCH_FUNCTIONS=$FUNCTIONS BENCH_SYSTEMS=$SYSTEMS BENCH_VENDORS=$VENDORS BENCH_SEED=$SEED \
	go test -run '^$' -bench 'GenSweep' -benchtime 3x -benchmem ./bench/ | tee "$work/gobench.txt"

if [ "$GO_BENCH" = 1 ]; then
	echo "== repository benchmarks (their own 100k-node maps)"
	go test -run '^$' -bench 'Sweep|Static|Load' -benchtime 3x -benchmem ./graph/... ./importers/... |
		tee "$work/repobench.txt"
fi

echo "== networkx (sample $SAMPLE vendors)"
python3 bench/networkx_blast.py "$work/ws/map" --sample "$SAMPLE" | tee "$work/networkx.json"

echo "== summary"
python3 - "$work" <<'EOF'
import json, re, sys, os
work = sys.argv[1]
nx = json.load(open(os.path.join(work, "networkx.json")))

def timed(name):
    wall, rss = open(os.path.join(work, name + ".time")).read().split()[-2:]
    return float(wall), int(rss) / 1024

sweep = None
for line in open(os.path.join(work, "gobench.txt")):
    m = re.match(r"BenchmarkGenSweep/sweep-\d+\s+\d+\s+([\d.]+) ns/op", line)
    if m:
        sweep = float(m.group(1)) / 1e9
gen_s, _ = timed("gen")
val_s, val_mb = timed("validate")
ana_s, ana_mb = timed("analyze")
nx_total = nx["load_s"] + nx["analysis_s"]
est = " (extrapolated from %d vendors)" % nx["analysed"] if nx["extrapolated"] else ""
rows = [
    ("map", "%d nodes, %d requirement edges, %d vendors" % (nx["nodes"], nx["edges"], nx["vendors"])),
    ("lifeboat gen (CSV)", "%.2f s" % gen_s),
    ("lifeboat validate", "%.2f s, peak %.0f MiB" % (val_s, val_mb)),
    ("lifeboat analyze, end to end", "%.2f s, peak %.0f MiB" % (ana_s, ana_mb)),
    ("lifeboat all-vendor sweep", "%.3f s" % sweep if sweep else "n/a"),
    ("networkx load", "%.2f s" % nx["load_s"]),
    ("networkx all-vendor ancestors", "%.1f s%s" % (nx["analysis_s"], est)),
]
if sweep:
    rows.append(("ratio, analysis", "networkx / lifeboat sweep = %.0fx" % (nx["analysis_s"] / sweep)))
rows.append(("ratio, end to end", "networkx load+analysis / lifeboat analyze = %.0fx" % (nx_total / ana_s)))
w = max(len(k) for k, _ in rows)
for k, v in rows:
    print(k.ljust(w), " ", v)
EOF
