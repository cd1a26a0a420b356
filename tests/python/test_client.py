"""The bre_client package against real bre-server processes on loopback: the standard
pipeline on the demo dataset as `bre run` makes it, partitions and tables as DataFrames
and as dicts, errors, tokens, TLS with a self-signed certificate, a result over gRPC's
4 MiB message limit fetched whole by the package and by `bre remote get`, and the
package as `cmake --install` installs it.

Run by ctest (tests/python/CMakeLists.txt) with BRE_BINARY_DIR, BRE_SOURCE_DIR and
PYTHONPATH set; `python3 test_client.py ClassName` runs one class.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import unittest

import grpc

from bre_server import BUILD, SOURCE, STANDARD, Server, bre

import bre_client
from bre_client import BreError, Client

MIB = 1 << 20


def read_csv(path: str) -> list:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def sha256_file(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Library(unittest.TestCase):
    """One server, one standard run on the demo dataset, compared with the CLI's."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.work = tempfile.TemporaryDirectory(prefix="bre-python-client-")
        cls.addClassCleanup(cls.work.cleanup)
        cls.demo = os.path.join(cls.work.name, "demo.pb")
        bre("dataset", "demo", cls.demo)
        cls.cli = os.path.join(cls.work.name, "cli")
        bre("run", STANDARD, "--dataset", cls.demo, "--seed", "7", "--out", cls.cli)
        cls.server = Server()
        cls.addClassCleanup(cls.server.stop)
        cls.client = Client(cls.server.target)
        cls.addClassCleanup(cls.client.close)
        cls.dataset_id = cls.client.put_dataset(cls.demo)
        cls.run_id = cls.client.run(STANDARD, dataset=cls.dataset_id, seed=7)
        cls.events = list(cls.client.watch(cls.run_id))
        cls.fetched = cls.client.get(cls.run_id)


    def test_imported_from_the_build_tree(self) -> None:
        self.assertEqual(os.path.dirname(bre_client.__file__), os.path.join(BUILD, "python", "bre_client"))

    def test_the_dataset_id_is_its_sha256(self) -> None:
        self.assertEqual(self.dataset_id, sha256_file(self.demo))
        with open(self.demo, "rb") as f:
            self.assertEqual(self.client.put_dataset(f.read()), self.dataset_id)

    def test_watch_yields_every_step_then_the_end(self) -> None:
        self.assertEqual(self.events[0].kind, "QUEUED")
        self.assertEqual([e.sequence for e in self.events], list(range(len(self.events))))
        self.assertEqual((self.events[-1].kind, self.events[-1].run_status), ("RUN_FINISHED", "SUCCEEDED"))
        succeeded = {e.step_id for e in self.events if e.kind == "STEP_SUCCEEDED"}
        with open(STANDARD) as f:
            self.assertEqual(succeeded, {step["id"] for step in json.load(f)["steps"]})
        self.assertIn("STEP_SUCCEEDED lifecycle", "\n".join(map(str, self.events)))
        # A late watcher from the middle gets the rest of the history.
        late = list(self.client.watch(self.run_id, from_sequence=3))
        self.assertEqual(late, self.events[3:])
        self.assertEqual(self.client.wait(self.run_id), "SUCCEEDED")

    def test_the_result_is_the_cli_run_pb(self) -> None:
        self.assertEqual(self.fetched.status, "SUCCEEDED")
        self.assertEqual(self.fetched.dataset_id, self.dataset_id)
        with open(os.path.join(self.cli, "run.pb"), "rb") as f:
            self.assertEqual(self.fetched.result_bytes(), f.read())
        # Small chunks reassemble the same record.
        small = self.client.get_record(self.run_id, chunk_bytes=1024)
        self.assertEqual(small.SerializeToString(deterministic=True),
                         self.fetched.record.SerializeToString(deterministic=True))

    def expected_partition(self) -> list:
        """The CLI's BRE partition CSV without the municipality names."""
        columns = ("region_id", "region_name", "municipality_code")
        return [{c: row[c] for c in columns} for row in read_csv(os.path.join(self.cli, "bre.partition.csv"))]

    @unittest.skipUnless(bre_client.pandas_available(), "pandas is not installed (python3-pandas)")
    def test_partition_and_table_as_dataframes(self) -> None:
        import pandas
        frame = self.fetched.partition("bre")
        self.assertIsInstance(frame, pandas.DataFrame)
        self.assertEqual(list(frame.columns), bre_client.result.PARTITION_COLUMNS)
        rows = frame[["region_id", "region_name", "municipality_code"]].to_dict("records")
        self.assertEqual(rows, self.expected_partition())
        # The standard BREs come from an ensemble: every municipality has a confidence.
        self.assertTrue(frame["confidence"].between(0, 1).all())
        sizes = frame.groupby("region_id").size()
        self.assertEqual(int(sizes.sum()), len(rows))

        table = self.fetched.table("congruence_bre", "congruence")
        self.assertIsInstance(table, pandas.DataFrame)
        expected = read_csv(os.path.join(self.cli, "congruence_bre.congruence.csv"))
        self.assertEqual(list(table.columns), list(expected[0].keys()))
        self.assertEqual(list(table["region_id"]), [row["region_id"] for row in expected])
        for column in table.columns[2:]:
            for value, text in zip(table[column], (row[column] for row in expected)):
                if isinstance(value, str):
                    self.assertEqual(value, text)
                elif text == "":
                    self.assertTrue(math.isnan(value))
                else:
                    self.assertEqual(value, float(text), column)

    def test_rows_as_dicts_without_pandas(self) -> None:
        # pandas hidden in a fresh interpreter: the same rows as plain dicts.
        script = ("import sys, json; sys.modules['pandas'] = None\n"
                  "import bre_client\n"
                  "assert not bre_client.pandas_available()\n"
                  f"run = bre_client.Client({self.server.target!r}).get({self.run_id!r})\n"
                  "rows = run.partition('bre')\n"
                  "assert isinstance(rows, list) and isinstance(rows[0], dict)\n"
                  "table = run.table('congruence_bre')\n"
                  "print(json.dumps({'rows': rows, 'table': table}))\n")
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        got = json.loads(done.stdout)
        self.assertEqual([{k: r[k] for k in ("region_id", "region_name", "municipality_code")} for r in got["rows"]],
                         self.expected_partition())
        self.assertEqual([r["region_id"] for r in got["table"]],
                         [r["region_id"] for r in read_csv(os.path.join(self.cli, "congruence_bre.congruence.csv"))])
        self.assertEqual(self.fetched.partition("bre", frame=False)[0], got["rows"][0])

    def test_analysis_rows_match_the_cli_csv(self) -> None:
        step = self.fetched.step("variation")
        variance = step.variance(frame=False)
        expected = read_csv(os.path.join(self.cli, "variation.variance.csv"))
        self.assertEqual([(r["outcome"], r["model"]) for r in variance],
                         [(r["outcome"], r["model"]) for r in expected])
        for got, text in zip(variance, expected):
            self.assertEqual(got["fitted"], text["fitted"] == "1")
            if text["icc"]:
                self.assertEqual(got["icc"], float(text["icc"]))
            else:
                self.assertTrue(math.isnan(got["icc"]))
        associations = step.associations(frame=False)
        expected = read_csv(os.path.join(self.cli, "variation.associations.csv"))
        self.assertEqual([(r["outcome"], r["characteristic"]) for r in associations],
                         [(r["outcome"], r["characteristic"]) for r in expected])
        for got, text in zip(associations, expected):
            if text["p_holm"]:
                self.assertEqual(got["p_holm"], float(text["p_holm"]))

    def test_steps_documents_and_plugins(self) -> None:
        self.assertEqual(self.fetched.step("bre").partitions, ["bre", "bre_coarser"])
        self.assertTrue(self.fetched.step("bre_map").documents)
        with self.assertRaisesRegex(KeyError, "no step 'nope'"):
            self.fetched.step("nope")
        names = [p.name for p in self.client.plugins()]
        self.assertIn("clustering.multiscale", names)
        self.assertEqual(names, sorted(names))
        comparison = self.client.compare_partitions(self.dataset_id, (self.run_id, "bre"), (self.run_id, "provinces"))
        self.assertTrue(0 <= comparison.nmi <= 1)

    def test_errors_carry_the_code_and_the_servers_message(self) -> None:
        with self.assertRaises(BreError) as caught:
            self.client.get("run-nope")
        self.assertEqual(caught.exception.code, grpc.StatusCode.NOT_FOUND)
        self.assertIn("no run 'run-nope'", caught.exception.details)
        with self.assertRaises(BreError) as caught:
            self.client.get(self.run_id, chunk_bytes=100)
        self.assertEqual(caught.exception.code, grpc.StatusCode.INVALID_ARGUMENT)
        with self.assertRaises(BreError) as caught:
            self.client.run({"steps": [{"id": "x", "plugin": "no.such"}]}, dataset=self.dataset_id)
        self.assertEqual(caught.exception.code, grpc.StatusCode.NOT_FOUND)
        # A finished run stays as it is when cancelled; deleted, it is gone.
        run_id = self.client.run({"steps": [{"id": "provinces", "plugin": "region.provinces"}]}, dataset=self.demo)
        self.assertEqual(self.client.wait(run_id), "SUCCEEDED")
        self.assertEqual(self.client.cancel(run_id), "SUCCEEDED")
        self.assertGreater(self.client.delete_run(run_id), 0)
        with self.assertRaises(BreError) as caught:
            self.client.delete_run(run_id)
        self.assertEqual(caught.exception.code, grpc.StatusCode.NOT_FOUND)

    def test_a_server_without_chunks_is_asked_with_get_run(self) -> None:
        # A server of before GetRunChunks: the generated servicer answers UNIMPLEMENTED.
        from concurrent import futures
        from bre_client._proto.bre.v1 import service_pb2, service_pb2_grpc

        record = self.fetched.record

        class OldServer(service_pb2_grpc.BreServiceServicer):
            def GetRun(self, request, context):  # noqa: N802 (the gRPC method's name)
                return service_pb2.GetRunResponse(run=record)

        server = grpc.server(futures.ThreadPoolExecutor(max_workers=2),
                             options=[("grpc.max_send_message_length", 64 * MIB)])
        service_pb2_grpc.add_BreServiceServicer_to_server(OldServer(), server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        try:
            with Client(f"127.0.0.1:{port}", max_message_bytes=64 * MIB) as client:
                self.assertEqual(client.get(self.run_id).result_bytes(), self.fetched.result_bytes())
        finally:
            server.stop(None)

    def test_a_token_is_sent_with_every_call(self) -> None:
        token_file = os.path.join(self.work.name, "token")
        with open(token_file, "w") as f:
            f.write("s3cret-token\n")
        with Server(["--token-file", token_file]) as server:
            with Client(server.target) as anonymous, self.assertRaises(BreError) as caught:
                anonymous.plugins()
            self.assertEqual(caught.exception.code, grpc.StatusCode.UNAUTHENTICATED)
            with Client(server.target, token="s3cret-token") as client:
                self.assertTrue(client.plugins())

    @unittest.skipUnless(os.path.exists("/usr/bin/openssl"), "/usr/bin/openssl is not installed")
    def test_tls_with_the_servers_certificate_as_the_ca(self) -> None:
        # A throwaway self-signed certificate for 127.0.0.1, given to the client as a
        # path once and as PEM bytes once.
        cert = os.path.join(self.work.name, "cert.pem")
        key = os.path.join(self.work.name, "key.pem")
        subprocess.run(["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key,
                        "-out", cert], check=True, capture_output=True)
        with Server(["--tls-cert", cert, "--tls-key", key]) as server:
            with Client(server.target) as plain, self.assertRaises(BreError) as caught:
                plain.plugins()
            self.assertEqual(caught.exception.code, grpc.StatusCode.UNAVAILABLE)
            with Client(server.target, tls=cert) as client:
                self.assertEqual(client.put_dataset(self.demo), self.dataset_id)
                run_id = client.run(STANDARD, dataset=self.dataset_id, seed=7)
                self.assertEqual(client.wait(run_id), "SUCCEEDED")
                self.assertEqual(client.get(run_id).result_bytes(), self.fetched.result_bytes())
            with open(cert, "rb") as f, Client(server.target, tls=f.read()) as client:
                self.assertTrue(client.plugins())


def with_more_maps(pipeline: str, copies: int, most: int = 0) -> dict:
    """The pipeline with `copies` more of each of its map steps (the first `most` of
    them, when given): a result of many more SVG documents."""
    with open(pipeline) as f:
        spec = json.load(f)
    maps = [s for s in spec["steps"] if s["plugin"].startswith("report.") and s["plugin"] != "report.html"]
    for copy in range(copies):
        for step in maps[:most or len(maps)]:
            spec["steps"].append({**step, "id": f"{step['id']}_{copy}"})
    return spec


class LargeResult(unittest.TestCase):
    """A result over 4 MiB, which GetRun cannot deliver to a client with gRPC's default
    message limit, comes whole in chunks to bre_client and to `bre remote get`."""

    def fetch_whole(self, spec: dict, make_dataset: list, seed: int) -> None:
        """Runs `spec` on the dataset `bre *make_dataset FILE` writes, with `bre run` and
        on a server, and fetches the server's result through both clients."""
        with tempfile.TemporaryDirectory(prefix="bre-python-large-") as work, Server() as server:
            spec_path = os.path.join(work, "large.json")
            with open(spec_path, "w") as f:
                json.dump(spec, f)
            dataset = os.path.join(work, "dataset.pb")
            bre(*make_dataset, dataset)
            started = time.monotonic()
            bre("run", spec_path, "--dataset", dataset, "--seed", str(seed), "--out", os.path.join(work, "cli"))
            cli_seconds = time.monotonic() - started
            expected = sha256_file(os.path.join(work, "cli", "run.pb"))
            size = os.path.getsize(os.path.join(work, "cli", "run.pb"))
            self.assertGreater(size, 4 * MIB)

            with Client(server.target) as client:
                run_id = client.run(spec_path, dataset=dataset, seed=seed)
                self.assertEqual(client.wait(run_id), "SUCCEEDED")
                # The old unary call cannot: the record passes the client's 4 MiB limit.
                with self.assertRaises(grpc.RpcError) as caught:
                    client._stub.GetRun(bre_client.client.service_pb2.GetRunRequest(run_id=run_id))
                self.assertEqual(caught.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
                started = time.monotonic()
                run = client.get(run_id)
                python_seconds = time.monotonic() - started
            self.assertEqual(hashlib.sha256(run.result_bytes()).hexdigest(), expected)

            out = os.path.join(work, "remote")
            started = time.monotonic()
            bre("remote", "get", run_id, "--server", server.target, "--out", out)
            remote_seconds = time.monotonic() - started
            self.assertEqual(sha256_file(os.path.join(out, "run.pb")), expected)
            print(f"\n{spec.get('name', '')}: result {size} bytes ({size / MIB:.1f} MiB), {len(run.steps)} steps; "
                  f"bre run {cli_seconds:.1f} s, bre_client get {python_seconds:.2f} s, "
                  f"bre remote get {remote_seconds:.2f} s", file=sys.stderr)

    def test_demo_with_six_more_of_each_map(self) -> None:
        self.fetch_whole(with_more_maps(STANDARD, 6), ["dataset", "demo"], 3)

    def test_nl2016_with_four_more_maps(self) -> None:
        data = os.path.join(SOURCE, "..", "shared", "data", "nl2016")
        if not os.path.isdir(data):
            self.skipTest(f"{data}: the nl2016 sources are not there")
        spec = with_more_maps(os.path.join(SOURCE, "examples", "pipelines", "nl2016.json"), 1, most=4)
        self.fetch_whole(spec, ["import", "nl2016", "--from", data, "--out"], 3)


class Installed(unittest.TestCase):
    """`cmake --install` into a temporary prefix: the package with its stubs lands in
    BRE_PYTHON_INSTALL_DIR there, imports from it alone, and runs the example."""

    def test_installed_package_runs_the_example(self) -> None:
        with tempfile.TemporaryDirectory(prefix="bre-python-install-") as work, Server() as server:
            prefix = os.path.join(work, "prefix")
            subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix], check=True, stdout=subprocess.DEVNULL)
            install_dir = os.environ["BRE_PYTHON_INSTALL_DIR"]
            site = install_dir if os.path.isabs(install_dir) else os.path.join(prefix, install_dir)
            self.assertTrue(os.path.isfile(os.path.join(site, "bre_client", "_proto", "bre", "v1",
                                                        "service_pb2_grpc.py")))
            self.assertEqual(glob.glob(os.path.join(site, "bre")), [], "no top-level bre module installed")
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            env.update(PYTHONPATH=site, PYTHONDONTWRITEBYTECODE="1")
            where = subprocess.run([sys.executable, "-c", "import bre_client; print(bre_client.__file__)"],
                                   env=env, capture_output=True, text=True, cwd=work)
            self.assertEqual(where.returncode, 0, where.stderr)
            self.assertEqual(where.stdout.strip(), os.path.join(site, "bre_client", "__init__.py"))

            demo = os.path.join(work, "demo.pb")
            bre("dataset", "demo", demo)
            env.update(BRE_SERVER=server.target, BRE_DATASET=demo)
            example = subprocess.run([sys.executable, os.path.join(SOURCE, "examples", "python_client", "example.py")],
                                     env=env, capture_output=True, text=True, cwd=work)
            self.assertEqual(example.returncode, 0, example.stdout + example.stderr)
            self.assertIn("RUN_FINISHED SUCCEEDED", example.stdout)
            # The region sizes it prints are those of the CLI's BRE partition.
            bre("run", STANDARD, "--dataset", demo, "--seed", "7", "--out", os.path.join(work, "cli"))
            sizes: dict = {}
            for row in read_csv(os.path.join(work, "cli", "bre.partition.csv")):
                sizes[row["region_id"]] = sizes.get(row["region_id"], 0) + 1
            lines = [line.split() for line in example.stdout.splitlines()]
            for region_id, size in sizes.items():
                self.assertTrue(any(tokens[:1] == [region_id] and str(size) in tokens for tokens in lines),
                                f"{region_id} {size}\n{example.stdout}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
