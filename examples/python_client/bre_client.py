#!/usr/bin/python3
"""Example client of bre-server: uploads a dataset, runs a pipeline, prints the
progress as it happens and the partition of the first step that made one; or removes
a finished run or an unused dataset from the server's store.

Needs Debian's python3-grpcio (tools/setup.sh installs it) and the modules the build
generates from proto/bre/v1 into build/python (pass --stubs to use another build tree):

    /usr/bin/python3 examples/python_client/bre_client.py --server 127.0.0.1:50051 \\
        --dataset demo.pb --pipeline examples/pipelines/standard.json
    /usr/bin/python3 examples/python_client/bre_client.py --delete-run RUN_ID
    /usr/bin/python3 examples/python_client/bre_client.py --delete-dataset DATASET_ID
"""

import argparse
import hashlib
import os
import sys

CHUNK_BYTES = 1 << 20


def parse_arguments():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("BRE_SERVER", "127.0.0.1:50051"), help="HOST:PORT")
    parser.add_argument("--dataset", help="a binary bre.v1.Dataset (.pb), e.g. from `bre dataset demo`")
    parser.add_argument("--pipeline", help="a PipelineSpec as JSON")
    deleting = parser.add_mutually_exclusive_group()
    deleting.add_argument("--delete-run", metavar="RUN_ID", help="only remove this finished run from the store")
    deleting.add_argument("--delete-dataset", metavar="DATASET_ID",
                          help="only remove this dataset (no queued or running run may use it)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--token-file", help="file holding the server's token")
    parser.add_argument("--tls-ca", help="PEM CA certificate of the server: connect with TLS")
    parser.add_argument("--stubs", default=os.path.join(here, "..", "..", "build", "python"),
                        help="directory of the generated bre/v1/*_pb2*.py modules")
    parser.add_argument("--result-out", help="also write the RunResult (binary, deterministic) to this file")
    args = parser.parse_args()
    if not (args.delete_run or args.delete_dataset) and not (args.dataset and args.pipeline):
        parser.error("expected --dataset and --pipeline, or --delete-run or --delete-dataset")
    return args


def chunks(service_pb2, data, sha256):
    """The dataset in chunks; the last one carries the SHA-256 of all of them."""
    for offset in range(0, len(data), CHUNK_BYTES):
        last = offset + CHUNK_BYTES >= len(data)
        yield service_pb2.DatasetChunk(data=data[offset:offset + CHUNK_BYTES], sha256=sha256 if last else "")


def main():
    args = parse_arguments()
    sys.path.insert(0, os.path.abspath(args.stubs))
    import grpc
    from bre.v1 import service_pb2, service_pb2_grpc

    if args.tls_ca:
        with open(args.tls_ca, "rb") as f:
            channel = grpc.secure_channel(args.server, grpc.ssl_channel_credentials(root_certificates=f.read()))
    else:
        channel = grpc.insecure_channel(args.server)
    metadata = []
    if args.token_file:
        with open(args.token_file) as f:
            metadata.append(("authorization", "Bearer " + f.read().strip()))
    stub = service_pb2_grpc.BreServiceStub(channel)

    try:
        if args.delete_run:
            freed = stub.DeleteRun(service_pb2.DeleteRunRequest(run_id=args.delete_run), metadata=metadata)
            print(f"run {args.delete_run}: deleted ({freed.freed_bytes} bytes)")
            return 0
        if args.delete_dataset:
            freed = stub.DeleteDataset(service_pb2.DeleteDatasetRequest(dataset_id=args.delete_dataset),
                                       metadata=metadata)
            print(f"dataset {args.delete_dataset}: deleted ({freed.freed_bytes} bytes)")
            return 0

        with open(args.dataset, "rb") as f:
            data = f.read()
        put = stub.PutDataset(chunks(service_pb2, data, hashlib.sha256(data).hexdigest()), metadata=metadata)
        print(f"dataset {put.dataset_name!r}: {put.municipalities} municipalities, id {put.dataset_id}")

        with open(args.pipeline) as f:
            spec_json = f.read()
        run = stub.RunPipeline(service_pb2.RunPipelineRequest(spec_json=spec_json, dataset_id=put.dataset_id,
                                                              seed=args.seed), metadata=metadata)
        print(f"run {run.run_id}")

        final_status = None
        for event in stub.WatchRun(service_pb2.WatchRunRequest(run_id=run.run_id), metadata=metadata):
            kind = service_pb2.RunEvent.Kind.Name(event.kind)[len("KIND_"):]
            line = f"{event.elapsed_seconds:8.3f} s  {kind}"
            if event.step_id:
                line += " " + event.step_id
            if event.kind == service_pb2.RunEvent.KIND_STEP_SUCCEEDED:
                line += f" ({event.step_seconds:.3f} s)"
            if event.kind == service_pb2.RunEvent.KIND_RUN_FINISHED:
                final_status = event.run_status
                line += " " + service_pb2.RunStatus.Name(event.run_status)[len("RUN_STATUS_"):]
            if event.message:
                line += ": " + event.message
            print(line, flush=True)

        record = stub.GetRun(service_pb2.GetRunRequest(run_id=run.run_id), metadata=metadata).run
    except grpc.RpcError as error:
        print(f"bre_client: {error.code().name}: {error.details()}", file=sys.stderr)
        return 2

    if args.result_out:
        with open(args.result_out, "wb") as f:
            f.write(record.result.SerializeToString(deterministic=True))
    for step in record.result.steps:
        if step.artifacts.partitions:
            partition = step.artifacts.partitions[0]
            print(f"partition {partition.name!r} ({len(partition.regions)} regions): id, municipalities, name")
            for region in partition.regions:
                print(f"{region.id}  {len(region.municipality_codes)}  {region.name}")
            break
    return 0 if final_status == service_pb2.RUN_STATUS_SUCCEEDED else 1


if __name__ == "__main__":
    sys.exit(main())
