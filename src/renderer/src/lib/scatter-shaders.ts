/**
 * The scatter's GLSL: the vertex shader places each point (a `mix` between two position buffers
 * during an epoch transition) and sizes it, the fragment shader cuts an antialiased disc with its
 * outline; UNIFORMS names what ScatterGl sets each frame. The flag bits it tests (1 visible, 2
 * selected) are scatter-gl.ts's FLAG_VISIBLE and FLAG_SELECTED.
 */

export const VERTEX = `#version 300 es
layout(location = 0) in vec2 aFrom;
layout(location = 1) in vec2 aTo;
layout(location = 2) in vec4 aColour;
layout(location = 3) in uint aFlags;

uniform vec2 uScale;
uniform vec2 uOffset;
uniform float uT;
uniform float uRadius;
uniform float uOpacity;
uniform float uDim;
uniform float uDpr;
uniform float uMaxSize;
// 0: unselected points, 1: selected points (drawn after, so on top).
uniform int uPass;

// Constant over a point sprite, so nothing needs interpolating.
flat out vec4 vColour;
flat out vec3 vStroke;
// Device pixels from the sprite centre: the disc's edge and where its rim starts (0: no rim).
flat out vec2 vEdges;
flat out float vSize;

void main() {
  bool visible = (aFlags & 1u) != 0u;
  bool selected = (aFlags & 2u) != 0u;
  if (!visible || (uPass == 0 && selected) || (uPass == 1 && !selected)) {
    // Outside the clip volume: the point is dropped before rasterisation.
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    return;
  }
  vec2 framed = mix(aFrom, aTo, uT);
  gl_Position = vec4(uOffset + uScale * framed, 0.0, 1.0);

  vColour = aColour;
  vStroke = vec3(0.0);
  vEdges = vec2(uRadius, 0.0);
  if (uPass == 0) {
    vColour.a *= uOpacity * uDim;
  } else {
    // Selected points grow a little, opaque, with a dark rim of their own hue: overlapping
    // points stay apart and the class colour stays readable.
    float edge = uRadius * 1.3 + 0.5 * uDpr;
    vEdges = vec2(edge, edge - 0.8 * uDpr);
    vStroke = mix(aColour.rgb, vec3(0.03, 0.04, 0.06), 0.6);
  }
  // One pixel of room for the antialiased edge.
  vSize = min(uMaxSize, 2.0 * vEdges.x + 1.0);
  gl_PointSize = vSize;
}
`;

export const FRAGMENT = `#version 300 es
precision mediump float;

flat in vec4 vColour;
flat in vec3 vStroke;
flat in vec2 vEdges;
flat in float vSize;
out vec4 outColour;

void main() {
  float d = length(gl_PointCoord - 0.5) * vSize;
  // Coverage antialiased over one device pixel at the edge.
  float alpha = clamp(vEdges.x - d + 0.5, 0.0, 1.0) * vColour.a;
  if (alpha <= 0.0) discard;
  float rim = vEdges.y > 0.0 ? clamp(d - vEdges.y + 0.5, 0.0, 1.0) : 0.0;
  // Premultiplied alpha, as the canvas is composited.
  outColour = vec4(mix(vColour.rgb, vStroke, rim) * alpha, alpha);
}
`;

export const UNIFORMS = [
  'uScale',
  'uOffset',
  'uT',
  'uRadius',
  'uOpacity',
  'uDim',
  'uDpr',
  'uMaxSize',
  'uPass',
] as const;
export type UniformName = (typeof UNIFORMS)[number];
