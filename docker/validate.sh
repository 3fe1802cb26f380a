#!/usr/bin/env bash
# Static checks of the deployment files; needs neither a Docker engine nor a Kubernetes cluster.
#
#   docker/validate.sh
#
# 1. docker-compose.yml: `docker-compose config -q` (with and without the replay and models profiles), if
#    docker-compose or the docker compose plugin is installed; skipped otherwise.
# 2. kubernetes/*.yaml: every document parses and has apiVersion, kind and metadata.name;
#    kustomization.yaml names existing files; pods mount ConfigMaps, Secrets and claims defined here.
# 3. Flink settings, both stacks: the settings Argus depends on are present (checkpoint dirs,
#    env.java.opts.all with -Dai.djl.offline=true and Flink's Java 17 flags, Flink's Prometheus
#    reporter on a port the pods expose and annotate for scraping), Flink process sizes
#    match the pods' memory limits, and FLINK_PROPERTIES survives the image entrypoint, which
#    deletes all whitespace from each line before expanding environment variables.
#
# Exits non-zero on the first failing step.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
compose_file="$here/docker-compose.yml"

echo "== docker-compose.yml"
if command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  compose=()
fi
if [ ${#compose[@]} -gt 0 ]; then
  "${compose[@]}" -f "$compose_file" config -q
  "${compose[@]}" -f "$compose_file" --profile replay config -q
  "${compose[@]}" -f "$compose_file" --profile models config -q
  echo "ok: ${compose[*]} config accepts it (default, replay and models profiles)"
else
  echo "skipped: neither docker-compose nor 'docker compose' is installed"
fi

# PyYAML: the first python3 on PATH, else the system one (Debian: python3-yaml).
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' >/dev/null 2>&1; then
    python="$candidate"
    break
  fi
done
if [ -z "$python" ]; then
  echo "FAIL: no python3 with PyYAML (install python3-yaml or 'pip install pyyaml')" >&2
  exit 1
fi

"$python" - "$here" <<'PY'
import glob, os, re, sys
import yaml

here = sys.argv[1]
kube = os.path.join(here, "kubernetes")
errors = []

def fail(msg):
    errors.append(msg)
    print("FAIL: " + msg)

# ---------------------------------------------------------------- Kubernetes manifests
print("== kubernetes/")
objects = {}          # (kind, name) -> object
files = sorted(glob.glob(os.path.join(kube, "*.yaml")) + glob.glob(os.path.join(kube, "*.yml")))
if not files:
    fail("no YAML files in kubernetes/")
for path in files:
    name = os.path.basename(path)
    try:
        with open(path) as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
    except yaml.YAMLError as e:
        fail(f"{name}: does not parse: {e}")
        continue
    if not docs:
        fail(f"{name}: no document")
    for i, doc in enumerate(docs):
        where = f"{name}[{i}]"
        if not isinstance(doc, dict):
            fail(f"{where}: not a mapping")
            continue
        missing = [k for k in ("apiVersion", "kind") if not isinstance(doc.get(k), str) or not doc.get(k)]
        meta = doc.get("metadata")
        if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not meta.get("name"):
            missing.append("metadata.name")
        if missing:
            fail(f"{where}: missing {', '.join(missing)}")
            continue
        print(f"ok: {where}: {doc['apiVersion']} {doc['kind']} {meta['name']}")
        if name != "gpu-taskmanager-patch.yaml" and doc["kind"] != "Kustomization":
            objects[(doc["kind"], meta["name"])] = doc

# kustomization.yaml: listed files exist
kpath = os.path.join(kube, "kustomization.yaml")
if os.path.exists(kpath):
    with open(kpath) as f:
        k = yaml.safe_load(f)
    for res in k.get("resources", []):
        if not os.path.exists(os.path.join(kube, res)):
            fail(f"kustomization.yaml: resource {res} does not exist")
    for p in k.get("patches", []) or []:
        if "path" in p and not os.path.exists(os.path.join(kube, p["path"])):
            fail(f"kustomization.yaml: patch {p['path']} does not exist")
if not os.path.exists(os.path.join(kube, "gpu-taskmanager-patch.yaml")):
    fail("gpu-taskmanager-patch.yaml is missing")

def pod_spec(obj):
    return obj.get("spec", {}).get("template", {}).get("spec", {})

def mem_bytes(q):
    """Kubernetes quantity (Gi/Mi) or Flink memory size (g/m) in bytes."""
    m = re.fullmatch(r"(\d+)\s*([GgMm])(i|b)?", str(q).strip())
    if not m:
        raise ValueError(f"cannot read memory size {q!r}")
    return int(m.group(1)) * (1024 ** 3 if m.group(2) in "Gg" else 1024 ** 2)

# pods refer only to ConfigMaps, Secrets and claims defined here (the example Secret included)
for (kind, name), obj in objects.items():
    if kind not in ("Deployment", "Job", "StatefulSet"):
        continue
    for vol in pod_spec(obj).get("volumes", []):
        for key, ref_kind, ref_field in (("configMap", "ConfigMap", "name"),
                                         ("secret", "Secret", "secretName"),
                                         ("persistentVolumeClaim", "PersistentVolumeClaim", "claimName")):
            if key in vol and (ref_kind, vol[key][ref_field]) not in objects:
                fail(f"{kind} {name}: volume {vol['name']} refers to unknown {ref_kind} {vol[key][ref_field]}")

# ---------------------------------------------------------------- Flink settings
REQUIRED_JVM = ["-Dai.djl.offline=true", "-Dai.djl.cache_dir=", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-exports=java.base/sun.net.util=ALL-UNNAMED"]
REQUIRED_KEYS = ["jobmanager.rpc.address", "taskmanager.numberOfTaskSlots", "parallelism.default",
                 "execution.checkpointing.dir", "env.java.opts.all",
                 "metrics.reporter.prom.factory.class", "metrics.reporter.prom.port"]
PROMETHEUS_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"

def flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out

def check_flink(where, conf):
    for key in REQUIRED_KEYS:
        if key not in conf:
            fail(f"{where}: {key} is not set")
    jvm = str(conf.get("env.java.opts.all", ""))
    for flag in REQUIRED_JVM:
        if flag not in jvm:
            fail(f"{where}: env.java.opts.all lacks {flag}")
    if conf.get("metrics.reporter.prom.factory.class", PROMETHEUS_FACTORY) != PROMETHEUS_FACTORY:
        fail(f"{where}: metrics.reporter.prom.factory.class is not Flink's Prometheus reporter")

print("== Flink configuration")
cm = objects.get(("ConfigMap", "argus-flink-config"))
if cm is None:
    fail("ConfigMap argus-flink-config not found")
else:
    data = cm.get("data", {})
    for key in ("config.yaml", "log4j-console.properties"):
        if key not in data:
            fail(f"ConfigMap argus-flink-config lacks {key} (Flink 2.0 reads conf/config.yaml)")
    try:
        conf = flatten(yaml.safe_load(data.get("config.yaml", "")) or {})
    except yaml.YAMLError as e:
        fail(f"config.yaml in the ConfigMap does not parse: {e}")
        conf = {}
    check_flink("kubernetes config.yaml", conf)
    for kind, name, key in (("Job", "argus-flink-jobmanager", "jobmanager.memory.process.size"),
                            ("Deployment", "argus-flink-taskmanager", "taskmanager.memory.process.size")):
        obj = objects.get((kind, name))
        if obj is None:
            fail(f"{kind} {name} not found")
            continue
        limit = pod_spec(obj)["containers"][0].get("resources", {}).get("limits", {}).get("memory")
        if limit is None or key not in conf or mem_bytes(limit) != mem_bytes(conf[key]):
            fail(f"{kind} {name}: memory limit {limit} != {key} {conf.get(key)}")
        else:
            print(f"ok: {kind} {name}: memory limit {limit} = {key} {conf[key]}")
        pod = obj["spec"]["template"]
        ports = [p.get("containerPort") for p in pod_spec(obj)["containers"][0].get("ports", [])]
        annotations = pod.get("metadata", {}).get("annotations", {})
        port = conf.get("metrics.reporter.prom.port")
        if port not in ports or str(annotations.get("prometheus.io/port")) != str(port):
            fail(f"{kind} {name}: the Prometheus port {port} is not a containerPort and prometheus.io/port")
        else:
            print(f"ok: {kind} {name}: Prometheus metrics on containerPort {port}, annotated for scraping")
    if not errors:
        print("ok: kubernetes config.yaml has the settings Argus needs")

with open(os.path.join(here, "docker-compose.yml")) as f:
    compose = yaml.safe_load(f)
for svc in ("jobmanager", "taskmanager"):
    env = compose["services"][svc].get("environment", {})
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    env = {k: str(v).replace("$$", "$") for k, v in env.items()}   # Compose's escaping
    props = env.get("FLINK_PROPERTIES")
    if not props:
        fail(f"compose {svc}: FLINK_PROPERTIES is not set")
        continue
    conf = {}
    for line in props.splitlines():
        raw = line.strip()
        if not raw:
            continue
        # What the image entrypoint does: delete all whitespace, split at the first ':', envsubst.
        key, _, value = re.sub(r"\s", "", raw).partition(":")
        raw_value = raw.partition(":")[2].strip()
        if re.search(r"\s", raw_value):
            fail(f"compose {svc}: {key}: the entrypoint would delete the spaces in {raw_value!r}; "
                 "pass the value through an environment variable")
        conf[key] = re.sub(r"\$\{(\w+)\}|\$(\w+)",
                           lambda m: env.get(m.group(1) or m.group(2), os.environ.get(m.group(1) or m.group(2), "")),
                           value)
    check_flink(f"compose {svc}", conf)
    print(f"ok: compose {svc}: {len(conf)} Flink settings survive the entrypoint's FLINK_PROPERTIES handling")

if errors:
    print(f"{len(errors)} problem(s)")
    sys.exit(1)
print("all checks passed")
PY
