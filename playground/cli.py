"""The command line: train a network on a dataset and report its losses (text or JSON).

    python -m playground train --dataset spiral --hidden 8,8 --epochs 500 --json
    python -m playground train --dataset spiral --epochs 20 --json --history  # every epoch
    python -m playground train --dataset reg-plane --features x,xSquared --regularization L1

Names are spelled as the page's links spell them (TensorFlow Playground's, where it has the
value); the engine's own names (plane, l1, x1sq) are taken too. Choices, limits and defaults
come from the registries and playground.experiment, as the page's do.

Whatever goes wrong ends in one line on stderr, never a traceback: bad arguments and model
files exit with status 2, output that cannot be written with 1 (141 if the reader of stdout
went away, e.g. `| head`). Ctrl-C (SIGINT) or SIGTERM (what `timeout` sends) stops after the
epoch under way: the summary so far is printed, the model saved if --save asked, and the exit
status is 130 (SIGINT) or 143 (SIGTERM); a second one stops at once. --json prints one valid
JSON object (a loss that is not finite is null).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from playground import __version__
from playground.data.datasets import DATASETS
from playground.engine.choices import Choice, lookup
from playground.engine.trainer import Trainer
from playground.experiment import (
    BATCH_SIZE,
    CHOICES,
    EPOCHS,
    HIDDEN_LAYERS,
    LEARNING_RATE,
    MAX_EPOCH,
    MAX_MODEL_BYTES,
    NEURONS,
    NOISE,
    REG_RATE,
    TRAIN_RATIO,
    Config,
    Limit,
    build_trainer,
    load_model,
    parse_model,
    save_model,
)

MAX_EPOCHS = int(EPOCHS.high)  # in one run
MAX_MESSAGE = 300  # characters of an error line (a message may quote a file's values)
STOPPED = {signal.SIGINT: 130, signal.SIGTERM: 143}  # exit status: 128 + the signal
# Options that describe the data or the network: a loaded model fixes them.
MODEL_OPTIONS = ("dataset", "problem", "noise", "train_ratio", "seed", "features", "hidden",
                 "activation", "loss", "init")
# Options a loaded model may continue training with.
TRAINING_OPTIONS = ("learning_rate", "regularization", "reg_rate", "batch_size", "optimizer")


class UsageError(Exception):
    """A bad argument or model file: reported in one line, exit status 2."""


class OutputError(Exception):
    """The output cannot be written: reported in one line, exit status 1."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _hidden(text: str) -> tuple[int, ...]:
    text = text.strip()
    if text in ("", "0"):
        return ()
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a comma-separated list of layer sizes (e.g. 8,8)") from None


def _spellings(table: dict[str, Choice]) -> str:
    """The command line's spelling of every entry, for a help text or an error."""
    return ", ".join(entry.cli for entry in table.values())


def _named(field: str) -> Any:
    """An argument type: a value of the Config field `field`, in any of its spellings (the
    command line's, which --help shows; ours; TensorFlow Playground's) -> our name."""
    table = CHOICES[field]

    def parse(text: str) -> str:
        name = lookup(table, text.strip())
        if name is None:
            raise argparse.ArgumentTypeError(
                f"invalid choice: '{text}' (choose from {_spellings(table)})")
        return name
    return parse


def _features(text: str) -> tuple[str, ...]:
    names = []
    for part in (part.strip() for part in text.split(",")):
        if part:
            name = lookup(CHOICES["features"], part)
            if name is None:
                raise argparse.ArgumentTypeError(
                    f"unknown feature '{part}'; choose from {_spellings(CHOICES['features'])}")
            names.append(name)
    return tuple(names)


def _range(limit: Limit) -> str:
    """A Config's range, for a help text: "0-50"."""
    return f"{limit.low:,g}-{limit.high:,g}"


def _choice_help(field: str, default: str | None = None) -> str:
    """"one of a, b, c (default a)": the default is Config's, or as `default` says."""
    table = CHOICES[field]
    shown = f"default: {default}" if default else f"default {table[getattr(Config(), field)].cli}"
    return f"one of {_spellings(table)} ({shown})"


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'{text}' is not a finite number")
    return value


def _count(text: str) -> int:
    """A whole number, also written as a float ("1e3", "500.0")."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value == int(value)):
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number")
    return int(value)


def _epochs(text: str) -> int:
    value = _count(text)
    if not 0 <= value <= MAX_EPOCHS:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_EPOCHS:,} in one run, got "
                                         f"{text}")
    return value


def make_parser() -> Parser:
    parser = Parser(prog="python -m playground", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    train = commands.add_parser("train", help="train a network and report its losses",
                                description="Train a network and report its losses. Defaults "
                                            "are TensorFlow Playground's. Names are spelled "
                                            "as in the page's links; the engine's own names "
                                            "(plane, l1, x1sq) are taken too.")
    d = Config()
    data = train.add_argument_group("data")
    data.add_argument("--dataset", type=_named("dataset"), metavar="NAME",
                      help=_choice_help("dataset"))
    data.add_argument("--problem", type=_named("problem"), metavar="NAME",
                      help=_choice_help("problem", "the dataset's"))
    data.add_argument("--noise", type=_float, help=f"{_range(NOISE)} (default {d.noise})")
    data.add_argument("--train-ratio", type=_float, dest="train_ratio",
                      help=f"{_range(TRAIN_RATIO)} (default {d.train_ratio})")
    data.add_argument("--seed", type=_count, help=f"default {d.seed}")
    features = CHOICES["features"]
    data.add_argument("--features", type=_features, metavar="NAMES",
                      help=f"comma-separated, from {','.join(f.cli for f in features.values())} "
                           f"(default {','.join(features[f].cli for f in d.features)})")
    net = train.add_argument_group("network")
    net.add_argument("--hidden", type=_hidden,
                     help=f"hidden layer sizes, e.g. 8,8: {_range(HIDDEN_LAYERS)} layers of "
                          f"{_range(NEURONS)} neurons; '' or 0 for none (default "
                          f"{','.join(map(str, d.hidden))})")
    net.add_argument("--activation", type=_named("activation"), metavar="NAME",
                     help=_choice_help("activation"))
    net.add_argument("--loss", type=_named("loss"), metavar="NAME",
                     help=_choice_help("loss", "the problem's"))
    net.add_argument("--init", type=_named("init"), metavar="NAME", help=_choice_help("init"))
    opt = train.add_argument_group("training")
    opt.add_argument("--lr", "--learning-rate", type=_float, dest="learning_rate",
                     help=f"learning rate, more than {LEARNING_RATE.low:g} and at most "
                          f"{LEARNING_RATE.high:g} (default {d.learning_rate})")
    opt.add_argument("--batch-size", type=_count, dest="batch_size",
                     help=f"{_range(BATCH_SIZE)} (default {d.batch_size})")
    opt.add_argument("--optimizer", type=_named("optimizer"), metavar="NAME",
                     help=_choice_help("optimizer"))
    opt.add_argument("--regularization", type=_named("regularization"), metavar="NAME",
                     help=_choice_help("regularization"))
    opt.add_argument("--reg-rate", type=_float, dest="reg_rate",
                     help=f"{_range(REG_RATE)} (default {d.reg_rate})")
    opt.add_argument("--epochs", type=_epochs, default=100,
                     help=f"default 100, at most {MAX_EPOCHS:,} (0: evaluate)")
    out = train.add_argument_group("output")
    out.add_argument("--save", type=Path, metavar="FILE", help="write the trained model (JSON)")
    out.add_argument("--load", type=Path, metavar="FILE",
                     help="start from a saved model (its data and network settings)")
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument("--history", action="store_true",
                     help="also give the loss of every epoch (as the page's loss chart has "
                          "it): a table, or with --json a 'history' object of lists")
    return parser


def _config(args: argparse.Namespace) -> Config:
    given = {name: getattr(args, name) for name in (*MODEL_OPTIONS, *TRAINING_OPTIONS)
             if getattr(args, name) is not None}
    if "dataset" in given and "problem" not in given:
        given["problem"] = DATASETS[given["dataset"]].problem
    return Config(**given)


def _load(args: argparse.Namespace) -> tuple[Config, Trainer]:
    fixed = [name for name in MODEL_OPTIONS if getattr(args, name) is not None]
    if fixed:
        flag = "--" + fixed[0].replace("_", "-")
        raise UsageError(f"{flag} cannot be combined with --load (the model file sets it)")
    try:
        data = parse_model(_read_at_most(args.load, MAX_MODEL_BYTES))
        config, trainer = load_model(data)
    except ValueError as e:
        raise UsageError(f"{args.load}{'' if str(e).startswith('is ') else ':'} {e}") from None
    changes = {name: getattr(args, name) for name in TRAINING_OPTIONS
               if getattr(args, name) is not None}
    if changes:
        config = config.replace(**changes)
        weights, biases = trainer.network.get_weights()
        epoch = trainer.epoch
        trainer = build_trainer(config)
        trainer.load_weights(weights, biases, epoch)
    return config, trainer


def _read_at_most(path: Path, limit: int) -> bytes:
    """The file's bytes, but never more than limit + 1 of them: enough for parse_model to
    refuse a file over the limit, however big (or endless: /dev/zero) it is."""
    try:
        with path.open("rb") as f:
            return f.read(limit + 1)
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None


def _progress(done: int, total: int, loss: float, width: int = 30) -> None:
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} epochs, "
                     f"train loss {loss:.4f}")
    sys.stderr.flush()


def train(args: argparse.Namespace) -> int:
    with _stop_on_signals() as stop:
        if args.load is not None:
            config, trainer = _load(args)
            if trainer.epoch + args.epochs >= MAX_EPOCH:
                raise UsageError(f"--epochs: the model is at epoch {trainer.epoch:,}, and "
                                 f"epochs are counted below {MAX_EPOCH:,}")
        else:
            config = _config(args)
            trainer = build_trainer(config)
        start_epoch = trainer.epoch
        show = not args.json and sys.stderr.isatty()  # the bar redraws itself: terminals only
        start = last_shown = time.perf_counter()
        for i in range(args.epochs):
            if stop.signal is not None or not trainer.train_epoch():
                break
            if show and (i + 1 == args.epochs or time.perf_counter() - last_shown > 0.1):
                _progress(i + 1, args.epochs, trainer.train_loss)
                last_shown = time.perf_counter()
        seconds = time.perf_counter() - start
        if show and args.epochs:
            sys.stderr.write("\n")
        result = _result(config, trainer, trainer.epoch - start_epoch, seconds)
        if stop.signal is not None:
            result["interrupted"] = signal.Signals(stop.signal).name
        if args.save is not None:
            _save(args.save, trainer, config)
            result["saved"] = str(args.save)
        if args.history:
            # Every recorded epoch (epoch 0 is the untrained network), as the loss chart shows
            # it; floats print in full (repr), so another run can be compared to the last bit.
            result["history"] = trainer.history.as_dict()
        if args.json:
            print(json.dumps(_json_safe(result), allow_nan=False))
        else:
            print(_summary(result))
            if args.history:
                print(_history_table(result["history"]))
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        if stop.signal is not None:
            saved = f"; saved to {args.save}" if args.save is not None else ""
            print(f"playground: interrupted by {result['interrupted']} after "
                  f"{result['epochs']:,} epochs: the summary is of those{saved}", file=sys.stderr)
            return STOPPED[stop.signal]
    return 0


class _Stop:
    """A signal handler: the first signal asks the loop to stop (`signal` says which), a
    second one stops at once."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def __call__(self, signum: int, _frame: Any) -> None:
        if self.signal is not None:
            raise KeyboardInterrupt
        self.signal = signum


@contextmanager
def _stop_on_signals() -> Iterator[_Stop]:
    """SIGINT and SIGTERM stop training after the epoch under way, while inside."""
    stop = _Stop()
    try:
        previous = {s: signal.signal(s, stop) for s in STOPPED}
    except ValueError:  # not the main thread: signals stay as they are
        previous = {}
    try:
        yield stop
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _result(config: Config, trainer: Trainer, trained: int, seconds: float) -> dict[str, Any]:
    return {
        "dataset": config.dataset, "problem": config.problem,
        "network": trainer.network.sizes, "n_params": trainer.network.n_params,
        "epochs": trained, "epoch": trainer.epoch,
        "train_loss": trainer.train_loss, "test_loss": trainer.test_loss,
        "train_accuracy": trainer.train_accuracy, "test_accuracy": trainer.test_accuracy,
        "seconds": round(seconds, 6),
        "epochs_per_second": round(trained / seconds, 3) if seconds > 0 and trained else None,
        "diverged": trainer.diverged, "message": trainer.message,
    }


def _save(path: Path, trainer: Trainer, config: Config) -> None:
    try:
        text = json.dumps(save_model(trainer, config), allow_nan=False) + "\n"
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None


def _json_safe(value: Any) -> Any:
    """`value` with every float that is not finite as None: JSON has no NaN or Infinity."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _history_table(history: dict[str, list]) -> str:
    rows = ["epoch train_loss test_loss"]
    rows += [f"{e} {train!r} {test!r}" for e, train, test in
             zip(history["epochs"], history["train_loss"], history["test_loss"], strict=True)]
    return "\n".join(rows)


def _summary(r: dict[str, Any]) -> str:
    lines = [f"{r['dataset']} ({r['problem']}), network {'-'.join(map(str, r['network']))} "
             f"({r['n_params']} parameters)",
             f"epochs trained: {r['epochs']} (total {r['epoch']}) in {r['seconds']:.2f} s"
             + (f", {r['epochs_per_second']:,.0f} epochs/s" if r["epochs_per_second"] else ""),
             f"loss: train {r['train_loss']:.4f}, test {r['test_loss']:.4f}"]
    if r["train_accuracy"] is not None:
        lines.append(f"accuracy: train {r['train_accuracy']:.1%}, test "
                     f"{r['test_accuracy']:.1%}")
    if r["diverged"]:
        lines.append(r["message"])
    if r.get("interrupted"):
        lines.append(f"interrupted by {r['interrupted']}: stopped after epoch {r['epoch']:,}")
    if r.get("saved"):
        lines.append(f"saved to {r['saved']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        return train(args)
    except (UsageError, ValueError) as e:  # ValueError: a setting out of range (Config's)
        return _fail(e, 2)
    except OutputError as e:
        return _fail(e, 1)
    except BrokenPipeError:
        _quiet_stdout()
        return _fail("the output was closed before it was all written (broken pipe)", 141)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as e:  # a bug: still one line, never a traceback
        return _fail(f"unexpected {type(e).__name__}: {e}", 1)


def _fail(message: object, status: int) -> int:
    text = " ".join(str(message).split())
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE - 3] + "..."
    try:
        print(f"playground: error: {text}", file=sys.stderr)
    except OSError:
        pass
    return status


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
