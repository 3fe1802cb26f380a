// Validates Kubernetes objects against the schemas of the Kubernetes API (kubernetes-models) and
// of the Flink Kubernetes Operator's CRDs (@kubernetes-models/flink), offline.
// Input on stdin: a JSON array of {"where": "...", "object": {...}}. Prints one line per object;
// exits 1 when any object is invalid or of a kind it has no schema for.
import * as apps from "kubernetes-models/apps/v1";
import * as batch from "kubernetes-models/batch/v1";
import * as core from "kubernetes-models/v1";
import * as flink from "@kubernetes-models/flink/flink.apache.org/v1beta1";

const modules = { "apps/v1": apps, "batch/v1": batch, "v1": core, "flink.apache.org/v1beta1": flink };

let input = "";
for await (const chunk of process.stdin) input += chunk;
let failures = 0;
for (const { where, object } of JSON.parse(input)) {
  const model = modules[object.apiVersion]?.[object.kind];
  if (!model) {
    console.log(`FAIL: ${where}: no schema for ${object.apiVersion} ${object.kind}`);
    failures++;
    continue;
  }
  try {
    new model(object).validate();
    console.log(`ok: ${where}: ${object.apiVersion} ${object.kind} ${object.metadata?.name} matches its schema`);
  } catch (e) {
    console.log(`FAIL: ${where}: ${object.apiVersion} ${object.kind} ${object.metadata?.name}: ${e.message}`);
    failures++;
  }
}
process.exit(failures ? 1 : 0);
