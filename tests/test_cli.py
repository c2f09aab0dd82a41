"""The headless command line: train runs, exports, argument errors, divergence, CS231n's spiral."""

import os
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from playground import cli
from playground.io.weights import read_weights

ROOT = Path(__file__).resolve().parents[1]
FINAL_LINE = re.compile(r"^(train|test) loss (\S+)(?:, accuracy ([\d.]+)%)?$", re.MULTILINE)
STEPS_LINE = re.compile(r"^([\d,]+) steps, ([\d,]+) epochs in", re.MULTILINE)


def _final(out: str) -> dict[str, tuple[float, float | None]]:
    """{'train': (loss, accuracy %), 'test': ...} from the final report."""
    return {m[1]: (float(m[2]), float(m[3]) if m[3] else None)
            for m in FINAL_LINE.finditer(out)}


def _steps(out: str) -> tuple[int, int]:
    match = STEPS_LINE.search(out)
    assert match, out
    return int(match[1].replace(",", "")), int(match[2].replace(",", ""))


def test_short_train_run_prints_final_train_and_test_metrics(capsys):
    assert cli.main(["train", "--dataset", "circle", "--epochs", "5"]) == 0
    out = capsys.readouterr().out
    final = _final(out)
    assert set(final) == {"train", "test"}, out
    for loss, accuracy in final.values():
        assert 0.0 <= loss < 10.0
        assert accuracy is not None and 0.0 <= accuracy <= 100.0
    steps, epochs = _steps(out)
    assert epochs == 5
    assert steps == 5 * 25  # 250 training points, batch 10
    assert "Network(2-4-2-2" in out


def test_steps_option_is_honoured(capsys):
    assert cli.main(["train", "--dataset", "xor", "--steps", "37", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert _steps(out)[0] == 37
    assert "Network(" not in out  # --quiet prints only the final metrics


def test_train_ratio_one_reports_no_test_metrics(capsys):
    assert cli.main(["train", "--dataset", "gauss", "--steps", "5", "--train-ratio", "1",
                     "--quiet"]) == 0
    assert set(_final(capsys.readouterr().out)) == {"train"}


def test_export_writes_loadable_weights_with_the_features(tmp_path, capsys):
    path = tmp_path / "circle.npz"
    assert cli.main(["train", "--dataset", "circle", "--epochs", "1", "--layers", "5,3",
                     "--features", "x1,x2,x1^2,x2^2", "--export", str(path), "--quiet"]) == 0
    assert f"weights saved to {path}" in capsys.readouterr().out
    loaded = read_weights(path)
    assert loaded.features == ["x1", "x2", "x1^2", "x2^2"]
    assert loaded.class_names == ["class 0", "class 1"]
    assert loaded.network.sizes == [4, 5, 3, 2]


def test_export_into_a_missing_folder_exits_with_code_2_before_training(capsys):
    code = cli.main(["train", "--steps", "5", "--export", "/nonexistent/dir/w.npz"])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.err == "playground train: --export: there is no folder /nonexistent/dir\n"
    assert "steps" not in captured.out


def test_export_to_a_folder_is_refused_before_training(tmp_path, capsys):
    target = tmp_path / "taken.npz"
    target.mkdir()  # a folder where the file should go
    code = cli.main(["train", "--steps", "5", "--export", str(target)])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.err == f"playground train: --export: cannot save to {target}: it is a folder\n"
    assert "steps" not in captured.out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.npz"]


def test_export_over_a_read_only_file_is_refused_before_training(tmp_path, capsys):
    target = tmp_path / "kept.npz"
    target.write_bytes(b"earlier weights")
    os.chmod(target, 0o444)
    assert cli.main(["train", "--steps", "5", "--export", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == (f"playground train: --export: cannot save to {target}: the file is "
                   "read-only, so it was not replaced\n")
    assert target.read_bytes() == b"earlier weights"


def test_export_that_fails_after_training_exits_with_code_2_and_one_line(tmp_path, capsys,
                                                                         monkeypatch):
    import numpy as np

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", full_disk)
    target = tmp_path / "net.npz"
    code = cli.main(["train", "--steps", "5", "--quiet", "--export", str(target)])
    assert code == 2
    err = capsys.readouterr().err
    assert err == (f"playground train: could not save weights to {target}: No space left on "
                   "device\n")
    assert list(tmp_path.iterdir()) == []


def test_regression_dataset_switches_to_mse_and_reports_no_accuracy(capsys):
    assert cli.main(["train", "--dataset", "plane", "--steps", "20", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "using --loss mse" in captured.err
    final = _final(captured.out)
    assert final["train"][1] is None and final["test"][1] is None


@pytest.mark.parametrize(("args", "message"), [
    (["--dataset", "banana"], "invalid choice: 'banana'"),
    (["--batch", "zero"], "batch: a number or 'full', not 'zero'"),
    (["--batch", "-3"], "batch must be at least 1"),
    (["--layers", "a,b"], "expected numbers like 8,8"),
    (["--layers", "4,0"], "at least one unit"),
    (["--loss", "l1"], "invalid choice: 'l1'"),
    (["--optimizer", "adamw"], "invalid choice: 'adamw'"),
    (["--schedule", "cosine"], "unknown schedule 'cosine'"),
    (["--lr", "fast"], "expected a number, not 'fast'"),
    (["--steps", "10", "--epochs", "2"], "not allowed with argument"),
], ids=lambda v: "_".join(v) if isinstance(v, list) else None)
def test_bad_arguments_exit_with_code_2_and_a_message(capsys, args, message):
    with pytest.raises(SystemExit) as info:
        cli.main(["train", *args])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


HINT = "(see 'playground train --help')"


@pytest.mark.parametrize(("args", "message"), [
    (["--n", "1000000000000"], "argument --n: must be from 2 to 1,000,000 points"),
    (["--n", "0"], "argument --n: must be from 2 to 1,000,000 points, not '0'"),
    (["--n", "9" * 5000], "argument --n: expected a whole number, not '99999"),
    (["--layers", "100000,100000"], "argument --layers: at most 4,096 units per layer"),
    (["--layers", "1000000000"], "argument --layers: at most 4,096 units per layer"),
    (["--layers", ",".join(["2"] * 65)], "argument --layers: at most 64 hidden layers"),
    (["--features", "x1,x1"], "argument --features: 'x1' is named twice"),
    (["--features", "x1,x3"], "argument --features: unknown feature 'x3'; choose from x1, x2"),
    (["--features", ","], "argument --features: name at least one of x1, x2"),
    (["--export", ""], "argument --export: give a file name"),
    (["--export", "  "], "argument --export: give a file name"),
    (["--lr", "inf"], "argument --lr: expected a finite number, not 'inf'"),
    (["--lr", "nan"], "argument --lr: expected a finite number, not 'nan'"),
    (["--l2", "1e999"], "argument --l2: expected a finite number"),
    (["--l1", "-1"], "argument --l1: must be at least 0"),
    (["--noise", "nan"], "argument --noise: expected a finite number"),
    (["--seed", "-1"], "argument --seed: must be from 0 to"),
    (["--steps", "1000000000000"], "argument --steps: at most 1,000,000,000"),
    (["--batch", "10000000000"], "batch: at most 1,000,000"),
    (["--classes", "1" + "0" * 100], "argument --classes: must be from 1 to 64"),
    (["--train-ratio", "2"], "argument --train-ratio: must be between 0.1 and 1"),
    (["--n"], "argument --n: expected one argument"),
    (["--frobnicate", "3"], "unrecognized arguments: --frobnicate 3"),
], ids=lambda v: " ".join(v)[:30] if isinstance(v, list) else None)
def test_every_bad_argument_gets_one_line_and_a_pointer_to_help(capsys, args, message):
    tracemalloc.start()
    try:
        with pytest.raises(SystemExit) as info:
            cli.main(["train", *args, "--steps", "1"] if args[0] != "--steps" else
                     ["train", *args])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.code == 2
    captured = capsys.readouterr()
    first, hint = captured.err.splitlines()
    assert first.startswith("playground train: error: ") and message in first, first
    assert len(first) < 200 and hint == HINT
    assert captured.out == ""
    assert peak < 20 << 20, "refused before allocating anything big"


@pytest.mark.parametrize("layers", ["4096,4096", "3000,3000,3000", ",".join(["400"] * 64)])
def test_a_network_over_the_parameter_cap_is_refused_before_it_is_built(capsys, layers):
    tracemalloc.start()
    try:
        code = cli.main(["train", "--layers", layers, "--steps", "1"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2
    err = capsys.readouterr().err
    assert re.fullmatch(r"playground train: --layers: that network would have [\d,]+ "
                        r"parameters; at most 10,000,000 are allowed\n", err), err
    assert peak < 20 << 20


def test_maxout_layers_count_their_second_piece(capsys):
    # 2-2300-2300-2: 5.3 million parameters, 10.6 million with maxout's second pieces
    args = ["train", "--layers", "2300,2300", "--steps", "1", "--quiet", "--n", "20"]
    assert cli.main([*args, "--activation", "maxout"]) == 2
    assert "10,6" in capsys.readouterr().err


def test_bench_arguments_are_checked_too(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["bench", "--seconds", "-1"])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "playground bench: error: argument --seconds: must be between 0.05 and 600",
        "(see 'playground bench --help')"]


def test_a_bad_argument_in_a_real_process_prints_two_lines_and_exits_2():
    result = subprocess.run([sys.executable, "-m", "playground", "train", "--layers",
                             "100000,100000"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "playground train: error: argument --layers: at most 4,096 units per layer", HINT]


def test_activation_count_mismatch_exits_with_code_2(capsys):
    code = cli.main(["train", "--layers", "4,2,2", "--activation", "relu,tanh", "--steps", "1"])
    assert code == 2
    assert "one per layer" in capsys.readouterr().err


def test_zero_epochs_trains_nothing_or_is_refused(capsys):
    try:
        code = cli.main(["train", "--dataset", "gauss", "--epochs", "0", "--quiet"])
    except SystemExit as exc:
        assert exc.code == 2
        return
    out = capsys.readouterr().out
    assert code == 2 or _steps(out) == (0, 0), out


def test_bce_on_a_multiclass_dataset_is_refused(capsys):
    code = cli.main(["train", "--dataset", "blobs", "--classes", "3", "--loss", "bce",
                     "--steps", "50", "--quiet"])
    captured = capsys.readouterr()
    assert code == 2, captured.out
    assert "bce" in captured.err or "binary" in captured.err


def test_unknown_activation_returns_2_with_a_message(capsys):
    assert cli.main(["train", "--activation", "mish", "--steps", "1"]) == 2
    assert "unknown activation 'mish'" in capsys.readouterr().err


def test_huge_learning_rate_stops_training_and_returns_1(capsys):
    code = cli.main(["train", "--dataset", "plane", "--loss", "mse", "--lr", "1e6",
                     "--epochs", "5"])
    captured = capsys.readouterr()
    assert code == 1
    assert "training stopped" in captured.err
    assert "learning rate 1e+06" in captured.err


def test_cs231n_spiral_reaches_97_percent_training_accuracy(capsys):
    code = cli.main(["train", "--dataset", "spiral", "--classes", "3", "--n", "300",
                     "--noise", "0.2", "--layers", "100", "--activation", "relu",
                     "--loss", "softmax", "--optimizer", "sgd", "--lr", "1", "--l2", "1e-3",
                     "--batch", "full", "--steps", "10000", "--train-ratio", "1", "--quiet"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert _steps(out)[0] == 10000
    loss, accuracy = _final(out)["train"]
    assert accuracy is not None and accuracy >= 97.0, out
    assert loss < 0.5


def test_module_entry_point_train_help_runs_in_a_subprocess():
    result = subprocess.run([sys.executable, "-m", "playground", "train", "--help"],
                            cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "usage: playground train" in result.stdout
    for option in ("--dataset", "--layers", "--optimizer", "--export", "--steps"):
        assert option in result.stdout


def test_window_options_without_a_command_reach_the_window(monkeypatch):
    from playground import cli
    from playground.app import main as app_main

    seen = []
    monkeypatch.setattr(app_main, "main", lambda argv: seen.append(list(argv)) or 0)
    assert cli.main(["--theme", "dark", "--play"]) == 0
    assert cli.main(["gui", "--edges", "gradient"]) == 0
    assert cli.main([]) == 0
    assert seen == [["--theme", "dark", "--play"], ["--edges", "gradient"], []]
