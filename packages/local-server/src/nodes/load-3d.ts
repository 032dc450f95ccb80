import { defineNode, STRING, T } from "./define.js";

// comfy_extras/nodes_load_3d.py

function preview3d(name: string, display: string) {
  return defineNode(
    {
      name,
      display,
      category: "3d",
      module: "comfy_extras.nodes_load_3d",
      outputNode: true,
      experimental: true,
      required: { model_file: STRING({ default: "", multiline: false }) },
      optional: { camera_info: T("LOAD3D_CAMERA", {}) },
    },
    (i) => ({ ui: { result: [i.model_file, i.camera_info ?? null] } }),
  );
}

export const nodes = [
  preview3d("Preview3D", "Preview 3D"),
  preview3d("Preview3DAnimation", "Preview 3D - Animation"),
];
