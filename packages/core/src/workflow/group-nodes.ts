import { SubgraphError, type WorkflowErrorOptions } from "./errors.js";
import type { UiLink, UiNode, UiNodeInput, UiNodeOutput, UiWorkflow } from "./ui-workflow.js";

const GROUP_NODE_TYPE = /^workflow[>/](.+)$/;

/**
 * Replaces legacy group node instances (`workflow>Name`, defined in `extra.groupNodes`) by their inner
 * nodes with ids `<instance id>:<index>`, as the editor does when it queues them. The instance's
 * inputs map, in order, to the inner socket inputs not linked inside the group, then to inner widgets
 * converted to inputs; its outputs to inner outputs not used only inside the group; its widget values
 * are the inner nodes' values concatenated in node order. (No group-node instance occurs in the shared
 * corpus: this follows the editor's rules but is checked on hand-made files only.)
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
    // `external`: [node index, output slot, type] of outputs also used outside the group.
    const externalOutputs = new Set(def.external.map((e) => `${String(e[0])}/${String(e[1])}`));
    // The instance's sockets, as the editor builds them: unlinked socket inputs of every inner node in
    // order, then the widgets converted to inputs; outputs not used only inside the group.
    const exposedInputs: [number, number][] = [];
    const convertedInputs: [number, number][] = [];
    const exposedOutputs: [number, number][] = [];
    def.nodes.forEach((n, index) => {
      n.inputs.forEach((input, slot) => {
        if (internalTargets.has(`${index}/${slot}`)) return;
        (input.widgetName === undefined ? exposedInputs : convertedInputs).push([index, slot]);
      });
      n.outputs.forEach((_, slot) => {
        const key = `${index}/${slot}`;
        if (!internalOrigins.has(key) || externalOutputs.has(key)) exposedOutputs.push([index, slot]);
      });
    });
    exposedInputs.push(...convertedInputs);
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
      // Widgets converted to inputs are not widgets of the instance: such a node keeps its own values.
      const converted = n.inputs.filter((i) => i.widgetName !== undefined).length;
      const count = Array.isArray(n.widgetsValues) ? n.widgetsValues.length - converted : 0;
      const own = values && converted === 0 ? values.slice(offset, offset + count) : n.widgetsValues;
      offset += Math.max(0, count);
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
