/**
 * `GraphBuilder`: accumulates the nodes, constants (initializers), inputs and outputs of an ONNX
 * graph while the converters walk a fitted pipeline, and hands out unique tensor names.
 *
 * Constants are initializers (not `Constant` nodes); small ones are shared when equal. Every
 * numeric computation in a Lathe graph is float64 (`tensor(double)`), the precision Lathe itself
 * computes in.
 *
 * @module
 */

import {
  type AttributeProto,
  DataType,
  type DataTypeCode,
  type Dim,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './onnx-proto.ts';

/** The ONNX-ML operator domain. */
export const ML_DOMAIN = 'ai.onnx.ml';

/** Attribute constructors (ONNX distinguishes ints from floats; JavaScript numbers do not). */
export const attr = {
  int: (name: string, value: number): AttributeProto => ({ name, type: 'int', value }),
  float: (name: string, value: number): AttributeProto => ({ name, type: 'float', value }),
  string: (name: string, value: string): AttributeProto => ({ name, type: 'string', value }),
  ints: (name: string, value: ArrayLike<number>): AttributeProto => ({ name, type: 'ints', value }),
  floats: (name: string, value: ArrayLike<number>): AttributeProto => ({ name, type: 'floats', value }),
  strings: (name: string, value: readonly string[]): AttributeProto => ({ name, type: 'strings', value }),
  tensor: (name: string, value: TensorProto): AttributeProto => ({ name, type: 'tensor', value }),
};

/** Largest constant (in values) that is shared between uses when equal. */
const SHARE_MAX = 64;

/** Builds one ONNX graph. */
export class GraphBuilder {
  /** The ai.onnx opset the graph targets (decides a few operator signatures). */
  readonly opset: number;
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private readonly shared = new Map<string, string>();
  private nodeCount = 0;
  private nameCount = 0;

  constructor(opset: number) {
    this.opset = opset;
  }

  /** Whether any node uses the ai.onnx.ml domain. */
  get usesMl(): boolean {
    return this.nodes.some((n) => n.domain === ML_DOMAIN);
  }

  /** Number of nodes so far. */
  get size(): number {
    return this.nodes.length;
  }

  /** Marks `name` as taken (input and output names), so generated names never collide with it. */
  reserve(name: string): void {
    this.used.add(name);
  }

  /** Whether `name` is taken. */
  isUsed(name: string): boolean {
    return this.used.has(name);
  }

  /** A fresh tensor name derived from `hint`. */
  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_.:/-]+/g, '_').slice(0, 48) || 't';
    let name: string;
    do name = `${base}_${this.nameCount++}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }

  /** Adds a graph input. */
  addInput(name: string, elemType: DataTypeCode, shape: readonly Dim[], docString?: string): string {
    this.used.add(name);
    this.inputs.push({ name, elemType, shape, docString });
    return name;
  }

  /** Adds a graph output (the tensor `name` must be produced by a node). */
  addOutput(name: string, elemType: DataTypeCode, shape: readonly Dim[], docString?: string): void {
    this.used.add(name);
    this.outputs.push({ name, elemType, shape, docString });
  }

  /**
   * Adds a node. `outputs` is either the names to write (e.g. graph outputs) or how many fresh
   * outputs to create. Returns the output names.
   */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: number | readonly string[] = 1,
    attributes: readonly AttributeProto[] = [],
    domain?: string,
  ): string[] {
    const outs =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()))
        : [...outputs];
    for (const o of outs) this.used.add(o);
    // Attributes sorted by name, as onnx.helper.make_node writes them (bytes then match Python's).
    const attrs = [...attributes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.nodes.push({
      inputs: [...inputs],
      outputs: outs,
      name: `${opType}_${this.nodeCount++}`,
      opType,
      domain,
      attributes: attrs.length ? attrs : undefined,
    });
    return outs;
  }

  /** Adds a node with one fresh output and returns its name. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: readonly AttributeProto[] = [],
    domain?: string,
  ): string {
    return this.node(opType, inputs, 1, attributes, domain)[0];
  }

  /** A constant tensor (an initializer). Small equal constants are shared. */
  constant(
    dataType: DataTypeCode,
    values: ArrayLike<number> | readonly string[] | readonly bigint[],
    dims: readonly number[],
    hint = 'const',
  ): string {
    let key: string | null = null;
    if (values.length <= SHARE_MAX) {
      const parts: string[] = [];
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        // Object.is tells -0 from 0 and NaN from NaN (all NaN are the same constant).
        parts.push(typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : JSON.stringify(String(v)));
      }
      key = `${dataType}|${dims.join(',')}|${parts.join(',')}`;
      const found = this.shared.get(key);
      if (found) return found;
    }
    const name = this.fresh(hint);
    this.initializers.push({ name, dims: [...dims], dataType, values });
    if (key) this.shared.set(key, name);
    return name;
  }

  /** A float64 constant; `dims` defaults to a vector. */
  double(values: ArrayLike<number>, dims: readonly number[] = [values.length], hint = 'c'): string {
    return this.constant(DataType.DOUBLE, values, dims, hint);
  }

  /** A float64 scalar (rank 0). */
  scalar(value: number): string {
    return this.constant(DataType.DOUBLE, [value], [], 'k');
  }

  /** An int64 constant; `dims` defaults to a vector. */
  int64(values: ArrayLike<number>, dims: readonly number[] = [values.length], hint = 'i'): string {
    return this.constant(DataType.INT64, values, dims, hint);
  }

  /** A string constant; `dims` defaults to a vector. */
  strings(values: readonly string[], dims: readonly number[] = [values.length], hint = 's'): string {
    return this.constant(DataType.STRING, values, dims, hint);
  }

  /** The graph built so far, keeping only the inputs that some node reads (when `pruneInputs`). */
  build(name: string, docString?: string, pruneInputs = true): GraphProto {
    let inputs = this.inputs;
    if (pruneInputs) {
      const read = new Set<string>();
      for (const n of this.nodes) for (const i of n.inputs) read.add(i);
      inputs = inputs.filter((v) => read.has(v.name));
    }
    return {
      nodes: this.nodes,
      name,
      initializers: this.initializers,
      docString,
      inputs,
      outputs: this.outputs,
    };
  }
}
