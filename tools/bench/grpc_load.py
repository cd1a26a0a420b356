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
import hashlib
import os
import subprocess
import sys
import tempfile
import threading
import time


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, int(-(-fraction * len(sorted_values) // 1)))
    return sorted_values[rank - 1]


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

    sys.path.insert(0, os.path.join(args.build, "python"))
    import grpc
    from bre.v1 import service_pb2, service_pb2_grpc

    with tempfile.TemporaryDirectory(prefix="bre-bench-") as work:
        dataset_path = os.path.join(work, "demo.pb")
        subprocess.run([os.path.join(args.build, "bin", "bre"), "dataset", "demo", dataset_path], check=True,
                       stdout=subprocess.DEVNULL)
        port_file = os.path.join(work, "port")
        server = subprocess.Popen(
            [os.path.join(args.build, "bin", "bre-server"), "--listen", "127.0.0.1:0", "--store",
             os.path.join(work, "store"), "--port-file", port_file, "--log-level", "warn",
             "--max-concurrent-runs", str(args.max_concurrent_runs)])
        try:
            deadline = time.monotonic() + 20
            while not os.path.exists(port_file):
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("grpc_load: bre-server did not start")
                time.sleep(0.02)
            with open(port_file) as f:
                target = "127.0.0.1:" + f.read().strip()

            with open(dataset_path, "rb") as f:
                data = f.read()
            stub = service_pb2_grpc.BreServiceStub(grpc.insecure_channel(target))
            dataset_id = stub.PutDataset(iter([service_pb2.DatasetChunk(
                data=data, sha256=hashlib.sha256(data).hexdigest())])).dataset_id
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
                        begin = time.monotonic()
                        run = stubs[index].RunPipeline(service_pb2.RunPipelineRequest(
                            spec_json=spec_json, dataset_id=dataset_id, seed=1 + len(latencies)))
                        for _ in stubs[index].WatchRun(service_pb2.WatchRunRequest(run_id=run.run_id)):
                            pass
                        record = stubs[index].GetRun(service_pb2.GetRunRequest(run_id=run.run_id)).run
                        if record.status != service_pb2.RUN_STATUS_SUCCEEDED:
                            raise RuntimeError(f"run {run.run_id}: {record.reason}")
                        latencies.append(time.monotonic() - begin)

                begin = time.monotonic()
                with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
                    latencies = sorted(sum(pool.map(client, range(clients)), []))
                seconds = time.monotonic() - begin
                print(f"{clients:>7} {len(latencies):>5} {seconds:>8.2f} {len(latencies) / seconds:>7.2f} "
                      f"{percentile(latencies, 0.50):>7.3f} {percentile(latencies, 0.99):>7.3f}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
