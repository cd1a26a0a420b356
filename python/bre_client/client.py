"""The connection to bre-server and one method per call of bre.v1.BreService."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from typing import Any, Iterator, Optional, Union

import grpc
from google.protobuf import json_format

from bre_client._proto.bre.v1 import dataset_pb2, pipeline_pb2, results_pb2, service_pb2, service_pb2_grpc
from bre_client.result import Run

#: Bytes per uploaded dataset chunk; the server takes messages up to 4 MiB by default.
UPLOAD_CHUNK_BYTES = 1 << 20

PathLike = Union[str, "os.PathLike[str]"]
DatasetSource = Union[PathLike, bytes, dataset_pb2.Dataset]
PipelineSource = Union[PathLike, dict, pipeline_pb2.PipelineSpec]

_DATASET_ID = re.compile(r"[0-9a-f]{64}")
# A stream the server ended early this often in a row is given up (see watch()).
_WATCH_RESUMES = 5


class BreError(Exception):
    """A call failed: ``code`` is the gRPC status code (e.g. ``grpc.StatusCode.NOT_FOUND``)
    and ``details`` the server's one-line message naming the field."""

    def __init__(self, code: grpc.StatusCode, details: str) -> None:
        super().__init__(f"{code.name}: {details}")
        self.code = code
        self.details = details


@dataclasses.dataclass(frozen=True)
class Event:
    """One progress event of a run, as WatchRun streams it.

    ``kind`` is the event kind without its prefix ("QUEUED", "RUN_STARTED",
    "STEP_STARTED", "STEP_SUCCEEDED", "STEP_FAILED", "STEP_SKIPPED", "STEP_CANCELLED",
    "STEP_PROGRESS", "RUN_FINISHED"); ``run_status`` is set on RUN_FINISHED only
    ("SUCCEEDED", "FAILED", "CANCELLED", "DEADLINE_EXCEEDED"); ``done`` of ``total``
    are a step's own units on STEP_PROGRESS.
    """

    sequence: int
    kind: str
    step_id: str = ""
    message: str = ""
    step_seconds: float = 0.0
    elapsed_seconds: float = 0.0
    run_status: Optional[str] = None
    done: int = 0
    total: int = 0

    @classmethod
    def from_proto(cls, event: service_pb2.RunEvent) -> "Event":
        """The event of a bre.v1.RunEvent message."""
        finished = event.kind == service_pb2.RunEvent.KIND_RUN_FINISHED
        return cls(sequence=event.sequence, kind=service_pb2.RunEvent.Kind.Name(event.kind)[len("KIND_"):],
                   step_id=event.step_id, message=event.message, step_seconds=event.step_seconds,
                   elapsed_seconds=event.elapsed_seconds,
                   run_status=run_status_name(event.run_status) if finished else None,
                   done=event.done, total=event.total)

    def __str__(self) -> str:
        line = f"{self.elapsed_seconds:8.3f} s  {self.kind}"
        if self.step_id:
            line += " " + self.step_id
        if self.kind == "STEP_SUCCEEDED":
            line += f" ({self.step_seconds:.3f} s)"
        if self.kind == "STEP_PROGRESS":
            line += f" {self.done}/{self.total}"
        if self.run_status:
            line += " " + self.run_status
        if self.message:
            line += ": " + self.message
        return line


def run_status_name(status: int) -> str:
    """A bre.v1.RunStatus value as a name without its prefix, e.g. "SUCCEEDED"."""
    return service_pb2.RunStatus.Name(status)[len("RUN_STATUS_"):]


def _read_bytes(path: PathLike) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _dataset_bytes(dataset: DatasetSource) -> bytes:
    """Binary bre.v1.Dataset bytes of a path (.pb, or .json as `bre dataset` writes it),
    of bytes as they are, or of a Dataset message."""
    if isinstance(dataset, dataset_pb2.Dataset):
        return dataset.SerializeToString(deterministic=True)
    if isinstance(dataset, (bytes, bytearray)):
        return bytes(dataset)
    if os.fspath(dataset).endswith(".json"):
        with open(dataset, encoding="utf-8") as f:
            return json_format.Parse(f.read(), dataset_pb2.Dataset()).SerializeToString(deterministic=True)
    return _read_bytes(dataset)


def _pipeline_request(pipeline: PipelineSource) -> dict:
    """The RunPipelineRequest fields of a spec: a PipelineSpec, a dict, JSON text or the
    path of a JSON file (parsed by the server, which names what is wrong)."""
    if isinstance(pipeline, pipeline_pb2.PipelineSpec):
        return {"spec": pipeline}
    if isinstance(pipeline, dict):
        return {"spec_json": json.dumps(pipeline)}
    if isinstance(pipeline, str) and pipeline.lstrip().startswith("{"):
        return {"spec_json": pipeline}
    with open(pipeline, encoding="utf-8") as f:
        return {"spec_json": f.read()}


class Client:
    """A connection to one bre-server.

    ``target`` is HOST:PORT. ``tls`` is False for plain text (what a loopback server
    serves by default), True for TLS trusting the system's certificate authorities, or
    the PEM of the CA that signed the server's certificate (bytes, or the path of a PEM
    file). ``token`` is sent as "authorization: Bearer <token>" with every call (a
    server started with --token-file requires it). ``max_message_bytes`` raises the
    limit of one received message; only the old GetRun fallback needs that, since
    results come in chunks. Use it as a context manager, or call close().
    """

    def __init__(self, target: str = "127.0.0.1:50051", *, tls: Union[bool, bytes, PathLike] = False,
                 token: Optional[str] = None, max_message_bytes: Optional[int] = None) -> None:
        options = []
        if max_message_bytes is not None:
            options.append(("grpc.max_receive_message_length", max_message_bytes))
        if tls is False or tls is None:
            self._channel = grpc.insecure_channel(target, options=options)
        else:
            root = None
            if isinstance(tls, (bytes, bytearray)):
                root = bytes(tls)
            elif tls is not True:
                root = _read_bytes(tls)
            self._channel = grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=root),
                                                options=options)
        self._metadata = [("authorization", "Bearer " + token)] if token else []
        self._stub = service_pb2_grpc.BreServiceStub(self._channel)
        self.target = target

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes the channel; the client cannot be used afterwards."""
        self._channel.close()

    def _call(self, method: Any, request: Any, **kwargs: Any) -> Any:
        try:
            return method(request, metadata=self._metadata, **kwargs)
        except grpc.RpcError as error:
            raise BreError(error.code(), error.details()) from None

    def plugins(self) -> list:
        """The server's plugins, sorted by name, as bre.v1.PluginDescription messages
        (``name``, ``kind``, ``version``, ``summary``, ``parameters``, ...)."""
        return list(self._call(self._stub.ListPlugins, service_pb2.ListPluginsRequest()).plugins)

    def put_dataset(self, dataset: DatasetSource, *, chunk_bytes: int = UPLOAD_CHUNK_BYTES) -> str:
        """Uploads a dataset and returns its id: the hex SHA-256 of its deterministic
        serialisation, which manifests record as ``dataset_sha256``. ``dataset`` is a
        path (binary .pb, or .json), binary bytes or a bre.v1.Dataset message. The same
        dataset always gets the same id, so uploading it again is harmless."""
        data = _dataset_bytes(dataset)
        digest = hashlib.sha256(data).hexdigest()
        step = max(1, chunk_bytes)

        def chunks() -> Iterator[service_pb2.DatasetChunk]:
            offsets = range(0, len(data), step) if data else [0]
            for offset in offsets:
                last = offset + step >= len(data)
                yield service_pb2.DatasetChunk(data=data[offset:offset + step], sha256=digest if last else "")

        return self._call(self._stub.PutDataset, chunks()).dataset_id

    def run(self, pipeline: PipelineSource, *, dataset: Union[str, DatasetSource], seed: int = 1,
            deadline_seconds: float = 0.0) -> str:
        """Starts a run and returns its id. ``pipeline`` is the path of a pipeline JSON
        file, JSON text, a dict or a bre.v1.PipelineSpec; ``dataset`` is a dataset id
        from put_dataset(), or anything put_dataset() takes (uploaded first). ``seed``
        0 means 1, as in the CLI; the same spec, dataset and seed give the same result
        as `bre run`. ``deadline_seconds`` 0 takes the server's default."""
        is_id = isinstance(dataset, str) and _DATASET_ID.fullmatch(dataset) and not os.path.exists(dataset)
        dataset_id = dataset if is_id else self.put_dataset(dataset)
        request = service_pb2.RunPipelineRequest(dataset_id=dataset_id, seed=seed, deadline_seconds=deadline_seconds,
                                                 **_pipeline_request(pipeline))
        return self._call(self._stub.RunPipeline, request).run_id

    def watch(self, run_id: str, *, from_sequence: int = 0) -> Iterator[Event]:
        """Yields the run's events from ``from_sequence`` on, those that already happened
        first, until RUN_FINISHED. A stream the server ends early (it stalled, or the
        server restarts) is resumed after the last event received."""
        resumes = 0
        while True:
            finished = False
            try:
                stream = self._stub.WatchRun(service_pb2.WatchRunRequest(run_id=run_id, from_sequence=from_sequence),
                                             metadata=self._metadata)
                for message in stream:
                    event = Event.from_proto(message)
                    from_sequence = event.sequence + 1
                    resumes = 0
                    finished = event.kind == "RUN_FINISHED"
                    yield event
                return
            except grpc.RpcError as error:
                retry = error.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED)
                if finished or not retry or resumes >= _WATCH_RESUMES:
                    raise BreError(error.code(), error.details()) from None
                resumes += 1

    def wait(self, run_id: str) -> str:
        """Follows the run to its end and returns its status, e.g. "SUCCEEDED"."""
        status = ""
        for event in self.watch(run_id):
            if event.run_status:
                status = event.run_status
        return status

    def get(self, run_id: str, *, chunk_bytes: int = 0) -> Run:
        """The run: its status and, once finished, its result (see Run). The record comes
        in chunks of ``chunk_bytes`` (0: the server's default of 1 MiB, else 1 KiB to
        3 MiB), so its size is not limited by gRPC's message limit; the chunks' total
        and SHA-256 are checked. A server without GetRunChunks is asked with GetRun."""
        return Run(self.get_record(run_id, chunk_bytes=chunk_bytes))

    def get_record(self, run_id: str, *, chunk_bytes: int = 0) -> service_pb2.RunRecord:
        """The run's bre.v1.RunRecord message, fetched as get() fetches it."""
        request = service_pb2.GetRunChunksRequest(run_id=run_id, chunk_bytes=chunk_bytes)
        parts = []
        received = 0
        total = -1
        digest = ""
        stream = self._stub.GetRunChunks(request, metadata=self._metadata)
        try:
            for chunk in stream:
                if total < 0:
                    total, digest = chunk.total_bytes, chunk.sha256
                if chunk.offset != received or received + len(chunk.data) > total:
                    stream.cancel()
                    raise BreError(grpc.StatusCode.DATA_LOSS, f"run {run_id}: a chunk at offset {chunk.offset} does "
                                   f"not continue the {received} bytes received of {total}")
                parts.append(chunk.data)
                received += len(chunk.data)
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.UNIMPLEMENTED:
                raise BreError(error.code(), error.details()) from None
            return self._call(self._stub.GetRun, service_pb2.GetRunRequest(run_id=run_id)).run
        data = b"".join(parts)
        if total < 0 or len(data) != total:
            raise BreError(grpc.StatusCode.DATA_LOSS,
                           f"run {run_id}: received {len(data)} bytes of a record announced with {total}")
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            raise BreError(grpc.StatusCode.DATA_LOSS, f"run {run_id}: the {total} bytes received hash to {actual}, "
                           f"the server announced {digest[:80]}")
        return service_pb2.RunRecord.FromString(data)

    def cancel(self, run_id: str) -> str:
        """Cancels a queued or running run and returns its status after the request; a
        finished run is left as it is."""
        response = self._call(self._stub.CancelRun, service_pb2.CancelRunRequest(run_id=run_id))
        return run_status_name(response.status)

    def delete_run(self, run_id: str) -> int:
        """Removes a finished run from the server's store; returns the bytes freed."""
        return self._call(self._stub.DeleteRun, service_pb2.DeleteRunRequest(run_id=run_id)).freed_bytes

    def delete_dataset(self, dataset_id: str) -> int:
        """Removes a dataset no queued or running run uses; returns the bytes freed."""
        request = service_pb2.DeleteDatasetRequest(dataset_id=dataset_id)
        return self._call(self._stub.DeleteDataset, request).freed_bytes

    def compare_partitions(self, dataset_id: str, a: Union[tuple, results_pb2.Partition],
                           b: Union[tuple, results_pb2.Partition]) -> results_pb2.PartitionComparison:
        """NMI, adjusted Rand index, variation of information and best region matches of
        two partitions of a stored dataset's municipalities, as a
        bre.v1.PartitionComparison message. Each partition is a bre.v1.Partition or a
        (run_id, step_id[, index]) tuple naming one a finished run produced."""

        def source(partition: Union[tuple, results_pb2.Partition]) -> service_pb2.PartitionSource:
            if isinstance(partition, results_pb2.Partition):
                return service_pb2.PartitionSource(partition=partition)
            run_id, step_id, *index = partition
            step = service_pb2.PartitionSource.StepPartition(run_id=run_id, step_id=step_id,
                                                             index=index[0] if index else 0)
            return service_pb2.PartitionSource(step=step)

        request = service_pb2.ComparePartitionsRequest(dataset_id=dataset_id, a=source(a), b=source(b))
        return self._call(self._stub.ComparePartitions, request).comparison
