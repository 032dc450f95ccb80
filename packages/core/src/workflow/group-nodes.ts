import { SubgraphError, type WorkflowErrorOptions } from "./errors.js";
import type { UiLink, UiNode, UiNodeInput, UiNodeOutput, UiWorkflow } from "./ui-workflow.js";

const GROUP_NODE_TYPE = /^workflow[>/](.+)$/;

/**
 * Replaces legacy group node instances (`workflow>Name`, defined in `extra.groupNodes`) by their inner
 * nodes with ids `<instance id>:<index>`, as the editor does when it queues them. The instance's
 * sockets map, in order, to the inner sockets not linked inside the group; its widget values are the
 * inner nodes' values concatenated in node order.
 */
export function expandGroupNodes(workflow: UiWorkflow, options: WorkflowErrorOptions = {}): UiWorkflow {
  if (workflow.groupNodes.size === 0 || !workflow.nodes.some((n) => GROUP_NODE_TYPE.test(n.type)))
    return workflow;
  const nodes: UiNode[] = [];
  const links = new Map(workflow.links);
  let nextLinkId = Math.max(0, ...links.keys()) + 1;
  for (const instance of workflow.nodes) {
    const name = GROUP_NODE_TYPE.exec(instance.type)?.[1];
    const def = name === undefined ? undefined : workflow.groupNodes.get(name);
    if (!def) {
      if (name !== undefined && !workflow.subgraphs.has(instance.type)) {
        throw new SubgraphError(
          String(instance.id),
          `group node "${name}" has no definition in extra.groupNodes`,
          options,
        );
      }
      nodes.push(instance);
      continue;
    }
    const innerId = (index: number) => `${instance.id}:${index}`;
    const internalTargets = new Set(def.links.map((l) => `${l[2]}/${l[3]}`));
    const internalOrigins = new Set(def.links.map((l) => `${l[0]}/${l[1]}`));
    // Inner sockets exposed on the instance, in order.
    const exposedInputs: [number, number][] = [];
    const exposedOutputs: [number, number][] = [];
    def.nodes.forEach((n, index) => {
      n.inputs.forEach((_, slot) => {
        if (!internalTargets.has(`${index}/${slot}`)) exposedInputs.push([index, slot]);
      });
      n.outputs.forEach((_, slot) => {
        if (!internalOrigins.has(`${index}/${slot}`)) exposedOutputs.push([index, slot]);
      });
    });
    const innerInputs = def.nodes.map((n) => n.inputs.map((i): UiNodeInput => ({ ...i, link: null })));
    const innerOutputs = def.nodes.map((n) => n.outputs.map((o): UiNodeOutput => ({ ...o, links: [] })));
    for (const [originIndex, originSlot, targetIndex, targetSlot] of def.links) {
      const id = nextLinkId++;
      links.set(id, {
        id,
        originId: innerId(originIndex),
        originSlot,
        targetId: innerId(targetIndex),
        targetSlot,
        type: undefined,
      });
      const input = innerInputs[targetIndex]?.[targetSlot];
      if (input) innerInputs[targetIndex]![targetSlot] = { ...input, link: id };
    }
    // Rewire the instance's external links to the inner sockets.
    instance.inputs.forEach((input, k) => {
      const [index, slot] = exposedInputs[k] ?? [];
      if (input.link === null || index === undefined || slot === undefined) return;
      const link = links.get(input.link);
      if (!link) return;
      links.set(link.id, { ...link, targetId: innerId(index), targetSlot: slot });
      const target = innerInputs[index]?.[slot];
      if (target) innerInputs[index]![slot] = { ...target, link: link.id };
    });
    for (const [id, link] of links) {
      if (String(link.originId) !== String(instance.id)) continue;
      const [index, slot] = exposedOutputs[link.originSlot] ?? [];
      if (index === undefined || slot === undefined) continue;
      links.set(id, { ...link, originId: innerId(index), originSlot: slot } satisfies UiLink);
    }
    const values = Array.isArray(instance.widgetsValues) ? instance.widgetsValues : undefined;
    let offset = 0;
    def.nodes.forEach((n, index) => {
      const count = Array.isArray(n.widgetsValues) ? n.widgetsValues.length : 0;
      const own = values ? values.slice(offset, offset + count) : n.widgetsValues;
      offset += count;
      nodes.push({
        ...n,
        id: innerId(index),
        mode: instance.mode === 0 ? n.mode : instance.mode,
        inputs: innerInputs[index] ?? [],
        outputs: innerOutputs[index] ?? [],
        widgetsValues: own,
      });
    });
  }
  return { ...workflow, nodes, links };
}
