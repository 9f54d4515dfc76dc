#!/usr/bin/env bash
# Per-drill figures from the output of bench/kill-drill.sh: for each kill, the probes started in the 3 s after it that
# were refused, failed, or answered slower than 100 ms, and the slowest answer.
#
#   bench/drill-summary.sh FILE
set -euo pipefail
awk '
    /^drill [0-9]+: kill -9/ { kills[++n] = $NF; next }
    /^  at [0-9]+ / { at[++m] = $2; outcome[m] = $3; ms[m] = $4 }
    END {
        for (i = 1; i <= n; i++) {
            refused = 0; failed = 0; slow = 0; max = 0
            for (j = 1; j <= m; j++) {
                if (at[j] < kills[i] - 20 || at[j] >= kills[i] + 3000) continue
                if (outcome[j] == "refused") refused++
                else if (outcome[j] == "failed") failed++
                else { slow++; if (ms[j] + 0 > max) max = ms[j] + 0 }
            }
            printf "drill %2d: refused %3d, failed %d, slower than 100 ms %3d, slowest answer %6.1f ms\n", i, refused, failed, slow, max
            if (max > worst) worst = max
            total_refused += refused; total_failed += failed
        }
        printf "drills=%d refused=%d failed=%d slowest answer=%.1f ms\n", n, total_refused, total_failed, worst
    }' "$1"
