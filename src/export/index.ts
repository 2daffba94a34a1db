/**
 * ONNX export of fitted pipelines: `exportOnnx(model)` writes one ONNX graph (ai.onnx +
 * ai.onnx.ml operators, float64 throughout) that onnxruntime runs with Lathe's predictions.
 * See docs/export.md.
 *
 * @module
 */
export {
  SUPPORTED_MODELS as ONNX_SUPPORTED_MODELS,
  SUPPORTED_STEPS as ONNX_SUPPORTED_STEPS,
} from './context.ts';
export {
  exportOnnx,
  exportOnnxModel,
  ONNX_ML_OPSET,
  ONNX_OPSET_RANGE,
  type OnnxExport,
  type OnnxExportOptions,
  type OnnxTensorInfo,
} from './export-onnx.ts';
