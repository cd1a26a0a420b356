"""What the gRPC benchmarks share: a bre-server on a free loopback port with a
temporary store, the demo dataset uploaded to it, one run timed from the client's
side, and nearest-rank percentiles."""

import contextlib
import hashlib
import os
import subprocess
import sys
import tempfile
import time


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, int(-(-fraction * len(sorted_values) // 1)))
    return sorted_values[rank - 1]


@contextlib.contextmanager
def running_server(build, server_args, name):
    """Starts build/bin/bre-server with `server_args` on 127.0.0.1:0 with a fresh store;
    yields (target, store directory, process, dataset id of the demo dataset)."""
    sys.path.insert(0, os.path.join(build, "python"))
    import grpc
    from bre_client._proto.bre.v1 import service_pb2, service_pb2_grpc

    with tempfile.TemporaryDirectory(prefix="bre-bench-") as work:
        dataset_path = os.path.join(work, "demo.pb")
        subprocess.run([os.path.join(build, "bin", "bre"), "dataset", "demo", dataset_path], check=True,
                       stdout=subprocess.DEVNULL)
        port_file = os.path.join(work, "port")
        store = os.path.join(work, "store")
        server = subprocess.Popen(
            [os.path.join(build, "bin", "bre-server"), "--listen", "127.0.0.1:0", "--store", store,
             "--port-file", port_file, "--log-level", "warn"] + list(server_args))
        try:
            deadline = time.monotonic() + 20
            while not os.path.exists(port_file):
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"{name}: bre-server did not start")
                time.sleep(0.02)
            with open(port_file) as f:
                target = "127.0.0.1:" + f.read().strip()
            with open(dataset_path, "rb") as f:
                data = f.read()
            stub = service_pb2_grpc.BreServiceStub(grpc.insecure_channel(target))
            dataset_id = stub.PutDataset(iter([service_pb2.DatasetChunk(
                data=data, sha256=hashlib.sha256(data).hexdigest())])).dataset_id
            yield target, store, server, dataset_id
        finally:
            server.terminate()
            server.wait(timeout=30)


def timed_run(stub, service_pb2, spec_json, dataset_id, seed):
    """One run as a client sees it: RunPipeline, WatchRun to the end, GetRun. Returns
    the seconds it took; raises unless the run succeeded."""
    begin = time.monotonic()
    run = stub.RunPipeline(service_pb2.RunPipelineRequest(spec_json=spec_json, dataset_id=dataset_id, seed=seed))
    for _ in stub.WatchRun(service_pb2.WatchRunRequest(run_id=run.run_id)):
        pass
    record = stub.GetRun(service_pb2.GetRunRequest(run_id=run.run_id)).run
    if record.status != service_pb2.RUN_STATUS_SUCCEEDED:
        raise RuntimeError(f"run {run.run_id}: {record.reason}")
    return time.monotonic() - begin
