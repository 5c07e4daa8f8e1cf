#!/usr/bin/env bash
# Offline checks for deploy/: the systemd unit, every YAML file (including the config embedded in the
# Kubernetes ConfigMap/Secret), cross-file consistency (shutdown bounds, probes, ports) and the Dockerfile.
# Docker and a Kubernetes cluster are not needed: those parts are checked by parsing only.
# Exits non-zero on any failure; a part whose tool is missing is skipped with a message saying so.
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$DEPLOY")"
failures=0
skipped=()
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }
skip() { echo "SKIP  $*"; skipped+=("$*"); }

# ---- systemd ------------------------------------------------------------------------------------------------
unit="$DEPLOY/systemd/vigil.service"
if command -v systemd-analyze >/dev/null 2>&1; then
    # verify requires ExecStart's binary to exist; verify a copy whose ExecStart is /bin/true instead.
    sed 's#^ExecStart=/usr/local/bin/vigil .*#ExecStart=/bin/true#' "$unit" >"$work/vigil.service"
    if out="$(systemd-analyze verify "$work/vigil.service" 2>&1)" && [[ -z "$out" ]]; then
        pass "systemd-analyze verify vigil.service (ExecStart swapped for /bin/true)"
    else
        fail "systemd-analyze verify vigil.service:"$'\n'"$out"
    fi
    # Exposure score (0 = locked down, 10 = unprotected); needs systemd >= 250 for --offline/--threshold.
    if systemd-analyze security --help 2>/dev/null | grep -q -- '--threshold'; then
        if out="$(systemd-analyze security --offline=true --threshold=20 --no-pager "$work/vigil.service" 2>&1)"; then
            pass "systemd-analyze security: $(grep -o 'Overall exposure level.*' <<<"$out")"
        else
            fail "systemd-analyze security exposure above 2.0:"$'\n'"$(tail -n 3 <<<"$out")"
        fi
    fi
    if command -v systemd-sysusers >/dev/null 2>&1; then
        if out="$(systemd-sysusers --dry-run "$DEPLOY/systemd/vigil.sysusers.conf" 2>&1)"; then
            pass "systemd-sysusers --dry-run vigil.sysusers.conf"
        else
            fail "systemd-sysusers --dry-run:"$'\n'"$out"
        fi
    fi
else
    skip "systemd checks: systemd-analyze not installed (apt-get install systemd)"
fi

# ---- Python with PyYAML (YAML, consistency, Dockerfile) -------------------------------------------------------
have_yaml() { python3 -c 'import yaml' >/dev/null 2>&1; }
if command -v python3 >/dev/null 2>&1 && ! have_yaml; then
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "....  PyYAML missing: apt-get install python3-yaml"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-yaml >/dev/null 2>&1 || true
    fi
    if ! have_yaml; then
        echo "....  PyYAML missing: pip install pyyaml"
        python3 -m pip install --quiet pyyaml >/dev/null 2>&1 || true
    fi
fi

if ! command -v python3 >/dev/null 2>&1; then
    skip "YAML and Dockerfile checks: python3 not installed"
elif ! have_yaml; then
    skip "YAML and Dockerfile checks: PyYAML unavailable (offline?); install python3-yaml"
else
    python3 - "$DEPLOY" "$ROOT" <<'PY' || failures=$((failures + 1))
import json, pathlib, re, sys
import yaml

deploy, root = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
bad = 0
# A file too broken to inspect further stops the checks with one FAIL line instead of a traceback.
sys.excepthook = lambda t, e, tb: (print(f"FAIL  checks stopped: {t.__name__}: {e}"), sys.exit(1))
def check(ok, what):
    global bad
    print(("PASS  " if ok else "FAIL  ") + what)
    bad += not ok

DURATION = re.compile(r"^\d+(ms|[smhd])$")
def seconds(d):
    return int(d[:-1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[d[-1]]

# 1. Every YAML file parses (multi-document).
docs = {}
for path in sorted(deploy.rglob("*.y*ml")):
    rel = path.relative_to(deploy)
    try:
        docs[rel] = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
        check(bool(docs[rel]), f"yaml parses: {rel} ({len(docs[rel])} document(s))")
    except yaml.YAMLError as e:
        check(False, f"yaml parses: {rel}: {e}")

# 2. The example config has CONTRACT.md's shape; embedded configs use only keys the example knows.
example = docs.get(pathlib.Path("vigil.example.yaml"), [{}])[0]
SECTIONS = {"kafka": {"brokers", "groupId", "connectTimeout", "groupInstanceId", "properties"},
            "topics": {"inputs", "alerts", "deadLetter", "state"}, "http": {"port", "host"},
            "limits": {"maxEventBytes", "maxClockSkew"}, "logging": {"level"},
            "state": {"retention", "restoreTimeout", "checkpointInterval"}, "processing": {"guarantee", "maxIdle", "transactionalId", "threads"},
            "escalation": {"critical", "high"}, "grouping": {"window"}}
# Keys the example may leave commented out (documented there, set per instance).
OPTIONAL = {"processing": {"transactionalId"}, "kafka": {"groupInstanceId"}}
TOP = set(SECTIONS) | {"shutdownTimeout", "rules"}

def check_config(cfg, name, complete):
    keys = set(cfg)
    check(keys == TOP if complete else keys <= TOP, f"{name}: top-level keys {sorted(keys)}")
    for section, allowed in SECTIONS.items():
        got = set(cfg.get(section) or {})
        required = allowed - OPTIONAL.get(section, set())
        check(required <= got <= allowed if complete else got <= allowed, f"{name}: {section} keys {sorted(got)}")
    durations = [cfg.get("shutdownTimeout"), (cfg.get("kafka") or {}).get("connectTimeout"),
                 (cfg.get("limits") or {}).get("maxClockSkew"), *((cfg.get("state") or {}).values()),
                 (cfg.get("processing") or {}).get("maxIdle"),
                 *[d for delays in (cfg.get("escalation") or {}).values() for d in delays],
                 (cfg.get("grouping") or {}).get("window")]
    check(all(d is None or DURATION.match(str(d)) for d in durations), f"{name}: durations like 30s/5m/24h/7d")
    check((cfg.get("logging") or {}).get("level") == "info", f"{name}: logging.level is info (no patient data)")
    check((cfg.get("rules") or {}).get("module") == "builtin", f"{name}: rules.module is builtin")
    inputs = (cfg.get("topics") or {}).get("inputs", [])
    check(isinstance(inputs, list) and all(isinstance(t, str) for t in inputs), f"{name}: topics.inputs is a list")
    props = (cfg.get("kafka") or {}).get("properties") or {}
    check(all(isinstance(v, (str, int, bool)) for v in props.values()), f"{name}: kafka.properties are scalars")
    for rule, params in (cfg.get("rules") or {}).items():
        if rule != "module":
            check(isinstance(params, dict) and all(DURATION.match(str(params[k]))
                  for k in ("cooldown",) if k in params), f"{name}: rules.{rule} is a map, cooldown a duration")

check_config(example, "vigil.example.yaml", complete=True)
check(example["topics"]["inputs"] == ["patient.checkins", "patient.cravings", "care.alert-acks"],
      "vigil.example.yaml: default input topics")
shutdown = seconds(example["shutdownTimeout"])

# 3. Kubernetes manifests.
k8s = deploy / "kubernetes"
by_kind = {}
for rel, ds in docs.items():
    if rel.parts[0] != "kubernetes" or rel.name == "kustomization.yaml":
        continue
    for d in ds:
        check(all(k in d for k in ("apiVersion", "kind", "metadata")) and "name" in d["metadata"],
              f"{rel}: {d.get('kind')} has apiVersion, kind, metadata.name")
        by_kind.setdefault(d["kind"], []).append(d)

for obj in by_kind.get("ConfigMap", []) + by_kind.get("Secret", []):
    data = obj.get("data") or obj.get("stringData") or {}
    text = data.get("vigil.yaml")
    check(text is not None, f"{obj['kind']} {obj['metadata']['name']}: has vigil.yaml")
    if text is not None:
        try:
            cfg = yaml.safe_load(text)
            check(isinstance(cfg, dict), f"{obj['kind']} {obj['metadata']['name']}: embedded vigil.yaml parses")
            check_config(cfg, f"{obj['kind']} {obj['metadata']['name']} vigil.yaml", complete=False)
            if obj["kind"] == "ConfigMap":
                # The daemon listens on loopback by default; the kubelet's probes come to the pod IP.
                check((cfg.get("http") or {}).get("host") == "0.0.0.0", f"ConfigMap {obj['metadata']['name']}: http.host is 0.0.0.0")
            shutdown = max(shutdown, seconds(cfg.get("shutdownTimeout", "30s")))
        except yaml.YAMLError as e:
            check(False, f"{obj['kind']} {obj['metadata']['name']}: embedded vigil.yaml: {e}")

kust = docs[pathlib.Path("kubernetes/kustomization.yaml")][0]
check(all((k8s / r).is_file() for r in kust["resources"]), "kustomization.yaml: every resource exists")

dep = by_kind["Deployment"][0]
pod = dep["spec"]["template"]["spec"]
c = pod["containers"][0]
ports = {p["name"]: p["containerPort"] for p in c["ports"]}
check(dep["spec"]["replicas"] == 2, "deployment: 2 replicas")
check(ports.get("http") == 8080, "deployment: port http = 8080")
check(c["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}, "deployment: liveness GET /health/live")
check(c["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}, "deployment: readiness GET /health/ready")
check(pod["terminationGracePeriodSeconds"] > shutdown, f"deployment: grace period {pod['terminationGracePeriodSeconds']}s > shutdownTimeout {shutdown}s")
sc, psc = c["securityContext"], pod["securityContext"]
check(psc["runAsNonRoot"] and psc["seccompProfile"]["type"] == "RuntimeDefault"
      and sc["readOnlyRootFilesystem"] and sc["allowPrivilegeEscalation"] is False
      and sc["capabilities"]["drop"] == ["ALL"], "deployment: non-root, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp")
check(all(k in c["resources"].get(x, {}) for x in ("requests", "limits") for k in ("cpu", "memory")), "deployment: resource requests and limits")
ann = dep["spec"]["template"]["metadata"]["annotations"]
check(ann.get("prometheus.io/scrape") == "true" and ann.get("prometheus.io/port") == "8080", "deployment: prometheus scrape annotations")
env = {e["name"]: e for e in c["env"]}
ref = env.get("VIGIL_BROKERS", {}).get("valueFrom", {}).get("configMapKeyRef", {})
cm = {o["metadata"]["name"]: o for o in by_kind["ConfigMap"]}
check(ref.get("key") in cm.get(ref.get("name"), {}).get("data", {}), "deployment: VIGIL_BROKERS refers to an existing ConfigMap key")
mounts = {m["name"] for m in c["volumeMounts"]}
check(mounts <= {v["name"] for v in pod["volumes"]}, "deployment: every volumeMount has a volume")
labels = dep["spec"]["template"]["metadata"]["labels"]
for kind in ("Service", "PodDisruptionBudget", "PodMonitor"):
    for o in by_kind.get(kind, []):
        sel = o["spec"]["selector"]
        sel = sel.get("matchLabels", sel)
        check(sel.items() <= labels.items(), f"{kind.lower()}: selector matches the pods")
svc = by_kind["Service"][0]["spec"]
check(svc["type"] == "ClusterIP" and svc["ports"][0]["targetPort"] in ports, "service: ClusterIP to a named container port")
check(by_kind["PodDisruptionBudget"][0]["spec"].get("maxUnavailable") == 1, "pdb: maxUnavailable 1")

# 4. systemd stop timeout above the shutdown bound.
unit = (deploy / "systemd/vigil.service").read_text()
m = re.search(r"^TimeoutStopSec=(\d+)s?$", unit, re.M)
check(bool(m) and int(m.group(1)) > shutdown, f"vigil.service: TimeoutStopSec > shutdownTimeout {shutdown}s")
check(re.search(r"^RestartPreventExitStatus=64$", unit, re.M) is not None, "vigil.service: no restart on exit 64")

# 5. Dockerfile: instructions, stages, COPY sources in the build context, entrypoint.
KNOWN = {"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
         "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}
dockerfile = deploy / "docker/Dockerfile"
lines, buf = [], ""
for raw in dockerfile.read_text().splitlines():
    if not buf and (raw.lstrip().startswith("#") or not raw.strip()):
        continue
    if raw.lstrip().startswith("#"):
        continue  # comment inside a continuation
    buf += raw.rstrip()
    if buf.endswith("\\"):
        buf = buf[:-1] + " "
    else:
        lines.append(buf.strip()); buf = ""
check(not buf, "Dockerfile: no dangling line continuation")
instr = [(l.split(None, 1)[0].upper(), l.split(None, 1)[1] if " " in l else "") for l in lines]
check(all(i in KNOWN for i, _ in instr), "Dockerfile: only known instructions")
check(instr[0][0] in ("FROM", "ARG"), "Dockerfile: starts with FROM")
stages = [a.split() for i, a in instr if i == "FROM"]
names = {s[2] for s in stages if len(s) == 3 and s[1].upper() == "AS"}
check(len(stages) >= 2 and stages[-1][0] == "debian:bookworm-slim", f"Dockerfile: multi-stage, runtime {stages[-1][0]}")
check(stages[0][0].startswith("swift:6") and "bookworm" in stages[0][0], f"Dockerfile: build image {stages[0][0]}")
runs = " ".join(a for i, a in instr if i == "RUN")
for needle in ("librdkafka-dev", "libjemalloc-dev", "--static-swift-stdlib", "--product vigil", "librdkafka1", "libjemalloc2", "ca-certificates"):
    check(needle in runs, f"Dockerfile: RUN mentions {needle}")
ignore = (deploy / "docker/Dockerfile.dockerignore").read_text().split()
allowed = {p.lstrip("!").rstrip("/") for p in ignore if p.startswith("!")}
for i, a in instr:
    if i in ("COPY", "ADD"):
        parts = [p for p in a.split() if not p.startswith("--")]
        frm = re.search(r"--from=(\S+)", a)
        if frm:
            check(frm.group(1) in names, f"Dockerfile: COPY --from={frm.group(1)} names a stage")
        else:
            for src in parts[:-1]:
                present = list(root.glob(src))
                # Package.resolved is optional (git-ignored); Package.swift must match.
                check(bool(present), f"Dockerfile: COPY source {src} exists in the build context")
                check(any(src.rstrip("/").startswith(a_) or src.replace("*", "swift") == a_ for a_ in allowed),
                      f"Dockerfile: COPY source {src} not excluded by Dockerfile.dockerignore")
users = [a for i, a in instr if i == "USER"]
check(bool(users) and users[-1].split(":")[0] not in ("root", "0"), f"Dockerfile: runs as non-root USER {users[-1] if users else '-'}")
check(("EXPOSE", "8080") in instr, "Dockerfile: EXPOSE 8080")
def exec_form(a):
    try:
        return json.loads(a)
    except ValueError:
        return a  # shell form
entry = [exec_form(a) for i, a in instr if i == "ENTRYPOINT"]
cmd = [exec_form(a) for i, a in instr if i == "CMD"]
check(entry == [["vigil"]], "Dockerfile: ENTRYPOINT [\"vigil\"] (exec form, so SIGTERM reaches vigil)")
check(cmd == [["run", "--config", "/etc/vigil/vigil.yaml"]], "Dockerfile: CMD run --config /etc/vigil/vigil.yaml")

sys.exit(1 if bad else 0)
PY
fi

# ---- kustomize render (offline) --------------------------------------------------------------------------------
if command -v kubectl >/dev/null 2>&1; then
    if out="$(kubectl kustomize "$DEPLOY/kubernetes" 2>&1)"; then
        pass "kubectl kustomize deploy/kubernetes renders $(grep -c '^kind:' <<<"$out") objects"
    else
        fail "kubectl kustomize:"$'\n'"$out"
    fi
else
    skip "kustomize render: kubectl not installed"
fi
if command -v hadolint >/dev/null 2>&1; then
    if hadolint "$DEPLOY/docker/Dockerfile"; then pass "hadolint Dockerfile"; else fail "hadolint Dockerfile"; fi
fi

echo
if ((${#skipped[@]})); then echo "skipped: ${#skipped[@]} part(s), see SKIP lines above"; fi
if ((failures)); then
    echo "deploy/ validation FAILED ($failures part(s))"
    exit 1
fi
echo "deploy/ validation passed"
