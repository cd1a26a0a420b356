#!/usr/bin/python3
"""Load benchmark of bre-server over loopback: runs per second and p50/p99 latency of
a pipeline (default: the standard one on the demo dataset) at 1, 8 and 64 concurrent
clients. Starts its own server on a free loopback port with a temporary store, and is
bounded in count (--runs per level) and time (--max-seconds per level).

Latency is one client's view of one run: RunPipeline, WatchRun to the end, GetRun.

    /usr/bin/python3 tools/bench/grpc_load.py [--build build] [--runs 64] [--max-seconds 60]
"""

import argparse
import concurrent.futures
import os
import threading
import time

from bench_server import percentile, running_server, timed_run


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(root, "build"), help="build tree with bin/ and python/")
    parser.add_argument("--pipeline", default=os.path.join(root, "examples", "pipelines", "standard.json"))
    parser.add_argument("--clients", default="1,8,64", help="concurrency levels, comma-separated")
    parser.add_argument("--runs", type=int, default=64, help="runs per level (at least the level's clients)")
    parser.add_argument("--max-seconds", type=float, default=60, help="stop starting runs after this, per level")
    parser.add_argument("--max-concurrent-runs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    server_args = ["--max-concurrent-runs", str(args.max_concurrent_runs)]
    with running_server(args.build, server_args, "grpc_load") as (target, _, _, dataset_id):
        import grpc
        from bre_client._proto.bre.v1 import service_pb2, service_pb2_grpc
        with open(args.pipeline) as f:
            spec_json = f.read()

        print(f"bre-server {target}, --max-concurrent-runs {args.max_concurrent_runs}, "
              f"{os.cpu_count()} cores, pipeline {os.path.basename(args.pipeline)}")
        print(f"{'clients':>7} {'runs':>5} {'seconds':>8} {'runs/s':>7} {'p50 s':>7} {'p99 s':>7}")
        for clients in [int(c) for c in args.clients.split(",")]:
            stubs = [service_pb2_grpc.BreServiceStub(grpc.insecure_channel(target)) for _ in range(clients)]
            lock = threading.Lock()
            started = [0]
            stop_at = time.monotonic() + args.max_seconds
            total = max(args.runs, clients)

            def client(index):
                latencies = []
                while True:
                    with lock:
                        if started[0] >= total or time.monotonic() > stop_at:
                            return latencies
                        started[0] += 1
                    latencies.append(timed_run(stubs[index], service_pb2, spec_json, dataset_id,
                                               1 + len(latencies)))

            begin = time.monotonic()
            with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
                latencies = sorted(sum(pool.map(client, range(clients)), []))
            seconds = time.monotonic() - begin
            print(f"{clients:>7} {len(latencies):>5} {seconds:>8.2f} {len(latencies) / seconds:>7.2f} "
                  f"{percentile(latencies, 0.50):>7.3f} {percentile(latencies, 0.99):>7.3f}", flush=True)


if __name__ == "__main__":
    main()
