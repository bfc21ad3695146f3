import { Box, Text } from "ink";
import type { DashboardState } from "../dashboard-state.js";
import { formatClock, formatCount, oneLine } from "../format.js";
import { tint } from "../tint.js";
import { EnginePanel } from "./EnginePanel.js";
import { FailurePanel } from "./FailurePanel.js";
import { GpuPanel } from "./GpuPanel.js";
import { StageLine } from "./StageLine.js";
import { Summary } from "./Summary.js";

export interface DashboardProps {
  state: DashboardState;
  color?: boolean;
}

const STATUS_COLOR = { idle: "gray", running: "cyan", stopping: "yellow", done: "green" } as const;

/** The featurize dashboard: a pure view of DashboardState; the reporter re-renders it as events arrive. */
export function Dashboard({ state, color = true }: DashboardProps) {
  return (
    <Box flexDirection="column">
      <Box columnGap={1}>
        <Text bold>mosaic featurize</Text>
        {state.catalog === null ? null : <Text wrap="truncate-middle">{state.catalog}</Text>}
        {state.total === null ? null : <Text>· {formatCount(state.total)} rows</Text>}
        <Text>·</Text>
        <Text color={tint(color, STATUS_COLOR[state.status])}>{state.status}</Text>
        <Text>· {formatClock(state.elapsedSeconds)}</Text>
      </Box>
      <EnginePanel engine={state.engine} color={color} />
      <Box flexDirection="column" marginTop={1}>
        {state.stages.map((progress) => (
          <StageLine key={progress.stage} progress={progress} color={color} />
        ))}
      </Box>
      {state.failedTotal > 0 ? (
        <Box marginTop={1}>
          <FailurePanel failures={state.failures} total={state.failedTotal} color={color} />
        </Box>
      ) : null}
      <Box marginTop={1}>
        <GpuPanel
          gpus={state.gpus}
          process={state.process}
          processHistory={state.processHistory}
          note={state.gpuNote}
          color={color}
        />
      </Box>
      {state.status === "stopping" ? (
        <Text color={tint(color, "yellow")}>
          Stopping ({oneLine(state.stopReason ?? "")}): finishing work in flight…
        </Text>
      ) : null}
      {state.summary === null ? null : (
        <Box marginTop={1}>
          <Summary summary={state.summary} color={color} />
        </Box>
      )}
    </Box>
  );
}
