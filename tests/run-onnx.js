// run-onnx.js: runs ONNX models in ONNX Runtime (npm onnxruntime-node, CPU) for check-exports.py.
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node run-onnx.js JOBS.json, a list of {model, dtype ("float32"/"float64"), dims, input,
// output}: input and output are raw little-endian files, so every bit (and NaN) survives.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

const ARRAYS = { float32: Float32Array, float64: Float64Array };

async function runJob(job) {
  const session = await ort.InferenceSession.create(job.model);
  const bytes = fs.readFileSync(job.input);
  const Array = ARRAYS[job.dtype];
  const data = new Array(bytes.buffer, bytes.byteOffset, bytes.length / Array.BYTES_PER_ELEMENT);
  const result = await session.run({ input: new ort.Tensor(job.dtype, data.slice(), job.dims) });
  const output = result.output;
  if (output.type !== job.dtype || output.dims.join() !== job.dims.join())
    throw new Error(`${job.model}: output ${output.type} ${output.dims}, expected ${job.dtype} ${job.dims}`);
  fs.writeFileSync(job.output, Buffer.from(output.data.buffer, output.data.byteOffset, output.data.byteLength));
}

async function main() {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const job of jobs)
    await runJob(job);
  console.log(`ran ${jobs.length} models in onnxruntime-node ${require('onnxruntime-node/package.json').version}`);
}

main().catch((error) => { console.error(error); process.exit(1); });
