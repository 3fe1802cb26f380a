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
# 4. kubernetes/operator/: the FlinkDeployment keeps state, HA and models on s3:// and mounts no
#    volume claim, is annotated for Prometheus on the reporter's port, and the topic Job creates
#    all five topics.
# 5. Schemas: every manifest, and what `kubectl kustomize` builds of both directories with and
#    without their GPU patches and of kubernetes-s3 (which must mount no volume claim), against the Kubernetes API schemas and the Flink Kubernetes
#    Operator's CRD schema (npm: kubernetes-models, @kubernetes-models/flink; offline once
#    `npm ci` has installed them in docker/validate/). Skipped, and said so, without node and npm,
#    or without kubectl for the kustomize builds.
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
PY

# ---------------------------------------------------------------- compose: monitoring files
"$python" - "$here" <<'PY'
import json, os, sys
import yaml
here = sys.argv[1]
errors = []
with open(os.path.join(here, "docker-compose.yml")) as f:
    compose = yaml.safe_load(f)
for name, svc in compose["services"].items():
    for vol in svc.get("volumes", []):
        src = str(vol).split(":")[0]
        if src.startswith("./") and not os.path.exists(os.path.join(here, src)):
            errors.append(f"compose {name}: mounts {src}, which does not exist")
with open(os.path.join(here, "prometheus", "prometheus.yml")) as f:
    prom = yaml.safe_load(f)
targets = json.dumps(prom.get("scrape_configs", []))
if "jobmanager:9249" not in targets or '"taskmanager"' not in targets or '"port": 9249' not in targets:
    errors.append("prometheus.yml does not scrape the JobManager and the TaskManagers on 9249")
sources = set()
for root, _, files in os.walk(os.path.join(here, "grafana", "provisioning", "datasources")):
    for fn in files:
        with open(os.path.join(root, fn)) as f:
            sources |= {d["uid"] for d in yaml.safe_load(f).get("datasources", [])}
with open(os.path.join(here, "grafana", "dashboards", "argus.json")) as f:
    dash = json.load(f)
used = {t["datasource"]["uid"] for p in dash["panels"] for t in p.get("targets", [])}
if not used or not used <= sources:
    errors.append(f"argus.json uses data sources {sorted(used)}, provisioned are {sorted(sources)}")
for e in errors:
    print("FAIL: " + e)
if errors:
    sys.exit(1)
print(f"ok: compose mounts exist; Prometheus scrapes Flink's reporter; the dashboard's {len(dash['panels'])} "
      "panels use the provisioned data source")
PY

# ---------------------------------------------------------------- the operator deployment
"$python" - "$here" <<'PY'
import glob, os, sys
import yaml

here = sys.argv[1]
op = os.path.join(here, "kubernetes", "operator")
print("== kubernetes/operator/")
errors = []
def fail(msg):
    errors.append(msg)
    print("FAIL: " + msg)

docs = {}
for path in sorted(glob.glob(os.path.join(op, "*.yaml"))):
    with open(path) as f:
        for d in yaml.safe_load_all(f):
            if d:
                docs[(os.path.basename(path), d.get("kind"))] = d
fd = docs.get(("flink-deployment.yaml", "FlinkDeployment"))
if fd is None:
    fail("flink-deployment.yaml holds no FlinkDeployment")
else:
    spec = fd["spec"]
    conf = spec.get("flinkConfiguration", {})
    for key in ("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "high-availability.storageDir"):
        if not str(conf.get(key, "")).startswith("s3://"):
            fail(f"FlinkDeployment: {key} is not on s3://")
    if conf.get("high-availability.type") != "kubernetes":
        fail("FlinkDeployment: high-availability.type is not kubernetes")
    if "-Dai.djl.offline=true" not in str(conf.get("env.java.opts.all", "")):
        fail("FlinkDeployment: env.java.opts.all lacks -Dai.djl.offline=true")
    args = spec.get("job", {}).get("args", [])
    if "--model-registry" not in args or not args[args.index("--model-registry") + 1].startswith("s3://"):
        fail("FlinkDeployment: the job's --model-registry is not on s3://")
    if "persistentVolumeClaim" in yaml.safe_dump(fd):
        fail("FlinkDeployment: mounts a volume claim (the default path must need no shared volume)")
    env = {e["name"]: e.get("value") for c in spec["podTemplate"]["spec"]["containers"] for e in c.get("env", [])}
    if not str(env.get("ENABLE_BUILT_IN_PLUGINS", "")).startswith("flink-s3-fs-"):
        fail("FlinkDeployment: no s3 file-system plugin in ENABLE_BUILT_IN_PLUGINS")
    port = str(conf.get("metrics.reporter.prom.port"))
    ann = spec["podTemplate"].get("metadata", {}).get("annotations", {})
    ports = [str(p.get("containerPort")) for c in spec["podTemplate"]["spec"]["containers"] for p in c.get("ports", [])]
    if ann.get("prometheus.io/scrape") != "true" or str(ann.get("prometheus.io/port")) != port or port not in ports:
        fail(f"FlinkDeployment: the Prometheus reporter's port {port} is not a containerPort and annotated for scraping")
    if not errors:
        print("ok: FlinkDeployment argus: checkpoints, savepoints, HA and models on s3://, no volume claim, "
              f"Prometheus on {port}")
job = docs.get(("topics-job.yaml", "Job"))
script = " ".join(" ".join(c.get("args", [])) for c in job["spec"]["template"]["spec"]["containers"]).split() if job else []
missing = [t for t in ("argus.video", "argus.audio", "argus.events", "argus.incidents", "argus.dead-letters",
                      "argus.status", "argus.shadow")
           if t not in script]
if job is None or missing:
    fail(f"topics-job.yaml does not create {missing or 'the topics'}")
else:
    print("ok: Job argus-topics creates the seven topics")
sys.exit(1 if errors else 0)
PY

# ---------------------------------------------------------------- schemas
echo "== Kubernetes schemas"
validator="$here/validate"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "skipped: node and npm are needed for the schema check (kubernetes-models, @kubernetes-models/flink)"
  echo "all checks passed, the schema check skipped"
  exit 0
fi
if [ ! -d "$validator/node_modules/@kubernetes-models/flink" ]; then
  npm ci --prefix "$validator" --no-audit --no-fund --loglevel=error >/dev/null
fi
built="$(mktemp -d)"
trap 'rm -rf "$built"' EXIT
if command -v kubectl >/dev/null 2>&1; then
  for dir in kubernetes kubernetes/operator; do
    name="${dir//\//-}"
    kubectl kustomize "$here/$dir" > "$built/$name.yaml"
    # the same with its GPU patch switched on (commented out in kustomization.yaml)
    mkdir "$built/$name-gpu"
    cp "$here/$dir"/*.yaml "$built/$name-gpu/"
    sed -i 's/^# patches:/patches:/; s/^#   - path: \(.*patch.yaml\)/  - path: \1/' "$built/$name-gpu/kustomization.yaml"
    grep -q '^patches:' "$built/$name-gpu/kustomization.yaml" || { echo "FAIL: $dir: no GPU patch entry to switch on"; exit 1; }
    kubectl kustomize "$built/$name-gpu" > "$built/$name-gpu.yaml"
    echo "ok: kubectl kustomize builds $dir, and with its GPU patch"
  done
  # the standalone manifests with S3 instead of the two ReadWriteMany claims
  kubectl kustomize "$here/kubernetes-s3" > "$built/kubernetes-s3.yaml"
  if grep -q -i 'persistentVolumeClaim\|claimName\|mountPath: /flink-data\|mountPath: /models' "$built/kubernetes-s3.yaml" \
      || ! grep -q -- '-Dexecution.checkpointing.dir=s3://' "$built/kubernetes-s3.yaml"; then
    echo "FAIL: kubernetes-s3 still mounts a volume claim, or keeps checkpoints elsewhere than s3://"
    exit 1
  fi
  echo "ok: kubectl kustomize builds kubernetes-s3: no volume claim, checkpoints and models on s3://"
else
  echo "skipped: kubectl kustomize (no kubectl); the manifests are checked one by one only"
fi
"$python" - "$here" "$built" <<'PY' | node "$validator/validate-manifests.mjs"
import glob, json, os, sys
import yaml
here, built = sys.argv[1], sys.argv[2]
out = []
for path in sorted(glob.glob(os.path.join(here, "kubernetes", "*.yaml")) + glob.glob(os.path.join(here, "kubernetes", "operator", "*.yaml"))):
    name = os.path.relpath(path, here)
    if os.path.basename(path) == "kustomization.yaml" or "patch" in os.path.basename(path):
        continue   # patches are partial objects: checked in the kustomize builds
    with open(path) as f:
        for i, d in enumerate(x for x in yaml.safe_load_all(f) if x):
            out.append({"where": f"{name}[{i}]", "object": d})
for path in sorted(glob.glob(os.path.join(built, "*.yaml"))):
    with open(path) as f:
        for i, d in enumerate(x for x in yaml.safe_load_all(f) if x):
            out.append({"where": f"kustomize {os.path.basename(path)[:-5]}[{i}]", "object": d})
print(json.dumps(out))
PY
echo "all checks passed"
