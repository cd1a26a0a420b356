"""A Python client of bre-server, the gRPC service of bre (proto/bre/v1/service.proto).

Upload a dataset, run a pipeline on it, follow its progress and fetch its result, whose
partitions and indicator tables come as pandas DataFrames when pandas is importable and
as lists of row dicts otherwise::

    from bre_client import Client

    with Client("127.0.0.1:50051") as client:
        dataset_id = client.put_dataset("demo.pb")
        run_id = client.run("examples/pipelines/standard.json", dataset=dataset_id, seed=7)
        for event in client.watch(run_id):
            print(event)
        run = client.get(run_id)
        print(run.partition("bre").groupby("region_id").size())

The package needs only grpcio and protobuf (pandas is optional); the protobuf and gRPC
modules it was generated with are inside it, in ``bre_client._proto.bre.v1``.
"""

from bre_client.client import BreError, Client, Event
from bre_client.result import Run, Step, pandas_available

__all__ = ["BreError", "Client", "Event", "Run", "Step", "pandas_available"]
__version__ = "0.1.0"
