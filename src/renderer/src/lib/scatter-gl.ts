/**
 * The WebGL2 side of the scatter: one program, one vertex array, four buffers. Points are
 * `gl.POINTS` discs antialiased in the fragment shader; an epoch transition is a `mix` between
 * two position buffers under one uniform, so animating 100,000 points costs no CPU per frame.
 * The hover ring is not drawn here: it changes far more often than the points, and redrawing
 * every point for it is what a 2-D overlay avoids. Holds no state that cannot be rebuilt: after a
 * context loss, make a new one and upload again. The shaders are in scatter-shaders.ts.
 */
import { FRAGMENT, UNIFORMS, VERTEX, type UniformName } from './scatter-shaders';

/** Per-point flag bits packed into one byte. */
export const FLAG_VISIBLE = 1;
export const FLAG_SELECTED = 2;

/** Everything one frame needs; positions are framed ([-1, 1]) and mapped to clip space here. */
export interface ScatterFrame {
  /** Drawing buffer size in device pixels. */
  width: number;
  height: number;
  /** Framed → clip space, per axis: `clip = offset + scale · framed`. */
  scale: readonly [number, number];
  offset: readonly [number, number];
  /** Eased progress from the `from` to the `to` positions, 0–1. */
  t: number;
  /** Point radius in device pixels. */
  radius: number;
  opacity: number;
  /** Opacity multiplier for unselected points while a selection exists. */
  dim: number;
  /** Device pixels per CSS pixel, for the outline width. */
  dpr: number;
}

export class ScatterGl {
  readonly gl: WebGL2RenderingContext;
  #program: WebGLProgram;
  #vao: WebGLVertexArrayObject;
  #from: WebGLBuffer;
  #to: WebGLBuffer;
  #colours: WebGLBuffer;
  #flagBuffer: WebGLBuffer;
  #uniforms: Record<UniformName, WebGLUniformLocation | null>;
  #maxSize: number;
  #count = 0;
  #colourCount = 0;
  #flagCount = 0;
  #anySelected = false;

  /** Throws if the shaders do not compile or link (a driver too limited for WebGL2 proper). */
  constructor(gl: WebGL2RenderingContext) {
    this.gl = gl;
    this.#program = link(
      gl,
      compile(gl, gl.VERTEX_SHADER, VERTEX),
      compile(gl, gl.FRAGMENT_SHADER, FRAGMENT),
    );
    this.#uniforms = Object.fromEntries(
      UNIFORMS.map((name) => [name, gl.getUniformLocation(this.#program, name)]),
    ) as Record<UniformName, WebGLUniformLocation | null>;
    const range = gl.getParameter(gl.ALIASED_POINT_SIZE_RANGE) as Float32Array | null;
    this.#maxSize = range?.[1] ?? 64;
    this.#vao = required(gl.createVertexArray(), 'vertex array');
    this.#from = required(gl.createBuffer(), 'buffer');
    this.#to = required(gl.createBuffer(), 'buffer');
    this.#colours = required(gl.createBuffer(), 'buffer');
    this.#flagBuffer = required(gl.createBuffer(), 'buffer');
    gl.bindVertexArray(this.#vao);
    for (const [location, buffer] of [
      [0, this.#from],
      [1, this.#to],
    ] as const) {
      gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
      gl.enableVertexAttribArray(location);
      gl.vertexAttribPointer(location, 2, gl.FLOAT, false, 0, 0);
    }
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#colours);
    gl.enableVertexAttribArray(2);
    gl.vertexAttribPointer(2, 4, gl.UNSIGNED_BYTE, true, 0, 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#flagBuffer);
    gl.enableVertexAttribArray(3);
    gl.vertexAttribIPointer(3, 1, gl.UNSIGNED_BYTE, 0, 0);
    gl.bindVertexArray(null);
  }

  get count(): number {
    return this.#count;
  }

  /** Both ends of the transition, framed; `from === to` for a jump. Sets the point count. */
  setPositions(from: Float32Array, to: Float32Array): void {
    const { gl } = this;
    this.#count = Math.floor(to.length / 2);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#from);
    gl.bufferData(gl.ARRAY_BUFFER, from.length === to.length ? from : to, gl.DYNAMIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#to);
    gl.bufferData(gl.ARRAY_BUFFER, to, gl.DYNAMIC_DRAW);
  }

  /** count × 4 RGBA bytes. */
  setColours(rgba: Uint8Array): void {
    const { gl } = this;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#colours);
    gl.bufferData(gl.ARRAY_BUFFER, rgba, gl.STATIC_DRAW);
    this.#colourCount = Math.floor(rgba.length / 4);
  }

  /** One byte per point of `FLAG_*` bits. */
  setFlags(flags: Uint8Array): void {
    const { gl } = this;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#flagBuffer);
    gl.bufferData(gl.ARRAY_BUFFER, flags, gl.STATIC_DRAW);
    const both = FLAG_VISIBLE | FLAG_SELECTED;
    this.#anySelected = flags.some((f) => (f & both) === both);
    this.#flagCount = flags.length;
  }

  draw(frame: ScatterFrame): void {
    const { gl } = this;
    const u = this.#uniforms;
    gl.viewport(0, 0, frame.width, frame.height);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    // Buffers a step out of step (positions of a new count, colours not yet) must not be read
    // past their end: WebGL would refuse the whole draw.
    const count = Math.min(this.#count, this.#colourCount, this.#flagCount);
    if (count === 0) return;
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.useProgram(this.#program);
    gl.bindVertexArray(this.#vao);
    gl.uniform2f(u.uScale, frame.scale[0], frame.scale[1]);
    gl.uniform2f(u.uOffset, frame.offset[0], frame.offset[1]);
    gl.uniform1f(u.uT, frame.t);
    gl.uniform1f(u.uRadius, frame.radius);
    gl.uniform1f(u.uOpacity, frame.opacity);
    gl.uniform1f(u.uDim, this.#anySelected ? frame.dim : 1);
    gl.uniform1f(u.uDpr, frame.dpr);
    gl.uniform1f(u.uMaxSize, this.#maxSize);
    gl.uniform1i(u.uPass, 0);
    gl.drawArrays(gl.POINTS, 0, count);
    if (this.#anySelected) {
      gl.uniform1i(u.uPass, 1);
      gl.drawArrays(gl.POINTS, 0, count);
    }
    gl.bindVertexArray(null);
  }

  /** Frees the GPU objects; harmless on a lost context. */
  dispose(): void {
    const { gl } = this;
    for (const buffer of [this.#from, this.#to, this.#colours, this.#flagBuffer]) gl.deleteBuffer(buffer);
    gl.deleteVertexArray(this.#vao);
    gl.deleteProgram(this.#program);
  }
}

/**
 * Packs the optional visibility and selection masks into one flag byte per point; absent masks
 * mean "all visible" and "none selected", and masks of another length are read as far as they go.
 */
export function packFlags(
  count: number,
  visible: Uint8Array | null | undefined,
  selected: Uint8Array | null | undefined,
): Uint8Array {
  const flags = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const shown = visible ? (visible[i] ?? 1) !== 0 : true;
    const picked = selected ? (selected[i] ?? 0) !== 0 : false;
    flags[i] = (shown ? FLAG_VISIBLE : 0) | (picked ? FLAG_SELECTED : 0);
  }
  return flags;
}

/** RGBA bytes sized to the point count: a colour array a tick behind the positions pads grey. */
export function fitColours(rgba: Uint8Array, count: number): Uint8Array {
  if (rgba.length === count * 4) return rgba;
  const out = new Uint8Array(count * 4).fill(128);
  out.set(rgba.subarray(0, Math.min(rgba.length, out.length)));
  return out;
}

/** What the GPU says it is (ANGLE/SwiftShader in headless Chromium), for benchmarks and bug reports. */
export function rendererName(gl: WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name: unknown = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  return typeof name === 'string' ? name : 'unknown';
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = required(gl.createShader(type), 'shader');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS) && !gl.isContextLost()) {
    const log = gl.getShaderInfoLog(shader);
    gl.deleteShader(shader);
    throw new Error(`scatter shader did not compile: ${log ?? 'no log'}`);
  }
  return shader;
}

function link(gl: WebGL2RenderingContext, vertex: WebGLShader, fragment: WebGLShader): WebGLProgram {
  const program = required(gl.createProgram(), 'program');
  gl.attachShader(program, vertex);
  gl.attachShader(program, fragment);
  gl.linkProgram(program);
  // Once linked, the program keeps what it needs; the shader objects can go.
  gl.deleteShader(vertex);
  gl.deleteShader(fragment);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS) && !gl.isContextLost()) {
    throw new Error(`scatter program did not link: ${gl.getProgramInfoLog(program) ?? 'no log'}`);
  }
  return program;
}

function required<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`WebGL could not create a ${what}`);
  return value;
}
