#!/usr/bin/env bash
# Per-drill figures from the output of bench/kill-drill.sh: for each kill, the probes started in the 3 s after it that
# were refused, failed, or answered slower than 100 ms, the slowest answer, and the outage: from the first probe that
# was refused or failed to the first one after the last such probe (probes are 10 ms apart; 0 when none failed).
#
#   bench/drill-summary.sh FILE
set -euo pipefail
awk '
    /^drill [0-9]+: kill -9/ { kills[++n] = $NF; next }
    /^  at [0-9]+ / { at[++m] = $2; outcome[m] = $3; ms[m] = $4 }
    END {
        for (i = 1; i <= n; i++) {
            refused = 0; failed = 0; slow = 0; max = 0; first = -1; last = -1
            for (j = 1; j <= m; j++) {
                if (at[j] < kills[i] - 20 || at[j] >= kills[i] + 3000) continue
                if (outcome[j] == "refused" || outcome[j] == "failed") {
                    if (outcome[j] == "refused") refused++; else failed++
                    if (first < 0 || at[j] < first) first = at[j]
                    if (at[j] > last) last = at[j]
                } else { slow++; if (ms[j] + 0 > max) max = ms[j] + 0 }
            }
            outage = first < 0 ? 0 : last - first + 10
            printf "drill %2d: refused %3d, failed %d, slower than 100 ms %3d, slowest answer %6.1f ms, outage %5d ms\n", i, refused, failed, slow, max, outage
            if (max > worst) worst = max
            total_refused += refused; total_failed += failed
        }
        printf "drills=%d refused=%d failed=%d slowest answer=%.1f ms\n", n, total_refused, total_failed, worst
    }' "$1"
