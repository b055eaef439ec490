#!/usr/bin/env bash
# Peak RSS of the tail view: runs the kflow binary in tmux (160x48), opens :tail TOPIC from the
# beginning, waits (polling capture-pane) until the view says "received WANT", then prints the
# elapsed time and VmHWM/VmRSS of the process. KFLOW_ENV (e.g. GOMEMLIMIT=150MiB) is passed to it.
#   bash bench/tail_rss.sh KFLOW_BIN BROKERS TOPIC 10,000,000
set -euo pipefail
bin=$1; b=$2; topic=$3; want=$4
tmux -L rss kill-server 2>/dev/null || true
tmux -L rss -f /dev/null new-session -d -s rss -x 160 -y 48 "env ${KFLOW_ENV:-} $bin -b $b"
until tmux -L rss capture-pane -p -t rss | grep -q "connected"; do sleep 0.2; done
tmux -L rss send-keys -t rss ':'; tmux -L rss send-keys -t rss -l "tail $topic"; tmux -L rss send-keys -t rss Enter
until tmux -L rss capture-pane -p -t rss | grep -q "Partitions"; do sleep 0.1; done
tmux -L rss send-keys -t rss -l beginning; tmux -L rss send-keys -t rss Enter
start=$(date +%s.%N); pid=$(tmux -L rss display -p -t rss '#{pane_pid}')
until tmux -L rss capture-pane -p -t rss | grep -q "received $want"; do sleep 0.2; done
end=$(date +%s.%N)
echo "elapsed $(echo "$end - $start" | bc) s"; grep -E "VmHWM|VmRSS" /proc/$pid/status
tmux -L rss capture-pane -p -t rss | head -8
tmux -L rss kill-server
