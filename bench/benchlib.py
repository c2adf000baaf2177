"""What the benchmarks share: paths, the machine's description, timing and extraction."""
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(REPO, "..", "shared", "data")
ENGLISH_DUMP = os.path.join(DATA, "wiki", "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2")
RELEASE_BINARY = os.path.join(REPO, ".build", "release", "bertkit")


def require(path, what):
    """Exits with a 'skipped' message when a shared data file is absent."""
    if not os.path.exists(path):
        sys.exit(f"skipped: {what} is absent ({path})")


def machine():
    """'2 cores, <CPU model>, Linux <release>': the line each benchmark table names."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}"


def measure(command, stdout=subprocess.DEVNULL, env=None):
    """Runs a command to completion: (wall seconds, peak RSS in MB, its standard error)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, env=env)
    stderr = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024, stderr


def best(run, repeat):
    """The fastest of `repeat` calls of `run`, by its first element (seconds)."""
    return min((run() for _ in range(repeat)), key=lambda result: result[0])


def extract_documents(bertkit, work):
    """The English fixture's articles as JSON lines made by `bertkit corpus extract`."""
    require(ENGLISH_DUMP, "the English fixture dump")
    path = os.path.join(work, "english.jsonl")
    subprocess.run([bertkit, "corpus", "extract", ENGLISH_DUMP, "--output", path, "--quiet", "--force"], check=True)
    return path


def read_texts(path):
    """The non-empty "text" fields of a JSON lines file."""
    with open(path, encoding="utf-8") as lines:
        return [text for text in (json.loads(line)["text"] for line in lines) if text]


def require_binary(path):
    """Exits with a hint when the release build is missing."""
    if not os.path.exists(path):
        sys.exit(f"no release build at {path}: run `swift build -c release` first")


def paragraph_text(bertkit, work, copies):
    """The English fixture's article text, one non-empty paragraph per line, written `copies`
    times into a file in `work`; returns its path."""
    text = "".join(paragraph + "\n" for document in read_texts(extract_documents(bertkit, work))
                   for paragraph in document.split("\n") if paragraph.strip())
    path = os.path.join(work, "text.txt")
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(text * copies)
    return path


# BertConfiguration.presets: (layers, hidden); 64-wide heads, 4·H feed-forward.
PRESETS = {"tiny": (2, 128), "mini": (4, 256), "small": (4, 512), "medium": (8, 512), "base": (12, 768),
           "large": (24, 1024)}


def demo_model(bertkit, work, preset):
    """Runs `bertkit demo` (no training) into work/demo and writes work/model.yaml, a model of
    `preset`'s sizes with the demo vocabulary's size. Returns the demo's phase-1 HDF5
    directory, the model file and the vocabulary size."""
    demo = os.path.join(work, "demo")
    subprocess.run([bertkit, "demo", "--output", demo, "--force", "--steps", "0"], check=True, capture_output=True)
    with open(os.path.join(demo, "vocab.txt"), encoding="utf-8") as vocabulary:
        vocabulary_size = sum(1 for _ in vocabulary)
    layers, hidden = PRESETS[preset]
    model = os.path.join(work, "model.yaml")
    with open(model, "w") as out:
        out.write(f"vocab_size: {vocabulary_size}\nhidden_size: {hidden}\nnum_hidden_layers: {layers}\n"
                  f"num_attention_heads: {hidden // 64}\nintermediate_size: {4 * hidden}\n")
    return os.path.join(demo, "hdf5", "128_20"), model, vocabulary_size


def python_json(python, script, *args):
    """The last line of `python -c script args…` parsed as JSON; exits with its stderr when it fails."""
    result = subprocess.run([python, "-c", script, *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {python} {script.strip().splitlines()[0]} ...\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def line_fields(command, env=None):
    """The fields of the key=value line a command prints last on stdout; exits with its stderr when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    line = result.stdout.strip().splitlines()[-1]
    return dict(field.split("=", 1) for field in line.split()[1:])
