import { Box, Text } from "ink";
import type { EngineInfo } from "../../contracts/events.js";
import { formatDevice } from "../format.js";

export interface EnginePanelProps {
  engine: EngineInfo | null;
  color?: boolean;
}

/** Which model runs where: "resnet50 · CUDA · batch 32 · 4 threads". */
export function EnginePanel({ engine, color = true }: EnginePanelProps) {
  return (
    <Box columnGap={1}>
      <Box width={8} flexShrink={0}>
        <Text bold>Engine</Text>
      </Box>
      {engine === null ? (
        <Text dimColor={color}>starting…</Text>
      ) : (
        <Text>
          {engine.model} · {formatDevice(engine.device)} · batch {engine.batchSize} · {engine.threads}{" "}
          {engine.threads === 1 ? "thread" : "threads"}
        </Text>
      )}
    </Box>
  );
}
