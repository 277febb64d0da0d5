/** The human summary of a bench run: bench/results/latest.md and what `npm run bench` prints. */
import type { BenchResults } from './results.ts';

const v = (n: number | null | undefined, unit = '') => (n === null || n === undefined ? 'n/a' : `${n}${unit}`);

export function markdown(r: BenchResults): string {
  const L: string[] = [];
  L.push(`# scale-harness bench: ${r.createdAt}`, '');
  L.push(
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, ${Object.entries(r.machine.tools).map(([k, x]) => `${k} ${x}`).join(', ')}. ` +
      `Load average at start ${r.machine.loadAverage.start.join(' / ')}, at end ${r.machine.loadAverage.end.join(' / ')} (the machine is shared: see "others" below).`,
    '',
  );
  L.push(
    `Goal: ${r.goal.targetRps} req/s at scale 1.0. **Highest sustained: ${v(r.search.highestSustainedRps, ' req/s')}** ` +
      `(${r.goal.fractionReached === null ? 'n/a' : `${Math.round(r.goal.fractionReached * 1000) / 10} %`} of the goal). Bench took ${r.durationSeconds} s${r.complete ? '' : ' and did NOT complete'}.`,
    '',
  );
  L.push('## Harness rate search', '');
  L.push(`Flat load: ${r.config.rampSeconds} s ramp + ${r.config.holdSeconds} s hold, Meqenet mix, scale 1.0, no autoscaling; sustained = verdict pass (p99 <= ${r.config.slo.p99Ms} ms, dropped < ${r.config.slo.droppedPct} %, errors <= ${r.config.slo.errorPct} %).`, '');
  L.push('| target req/s | achieved req/s (run / steady) | dropped % | p99 ms (prom / k6) | verdict | wall s (setup / k6 start / load / judge) | cores in steady hold: stack / k6 / prom / harness | others (cores) | slowest second req/s | /health beat max ms | load avg (end) |');
  L.push('| ---: | --- | ---: | --- | --- | --- | --- | ---: | ---: | ---: | --- |');
  for (const s of r.search.steps) {
    const w = s.steady?.cpu ?? s.cpuLoad;
    const c = (x: number) => Math.round((x / w.wallSeconds) * 100) / 100;
    L.push(
      `| ${s.targetRps} | ${v(s.k6?.achievedRps)} / ${v(s.steady?.achievedRps)} | ${v(s.k6?.droppedPct)} | ${v(s.p99Ms)} / ${v(s.k6?.p99MsK6)} | ${s.verdict} | ` +
        `${s.wall.totalSeconds} (${s.wall.setupSeconds} / ${v(s.steady?.k6Init.seconds)} / ${s.wall.loadSeconds} / ${s.wall.judgeSeconds}) | ` +
        `${c(w.cpuSeconds.stack)} / ${c(w.cpuSeconds.k6)} / ${c(w.cpuSeconds.prometheus)} / ${c(w.cpuSeconds.harness)} | ${w.othersBusyCores} | ${v(s.steady?.worstSecondRps)} | ${v(s.steady?.stackHeartbeat?.maxMs)} | ${s.loadAverage.end.join(' ')} |`,
    );
  }
  L.push('', `Stopped: ${r.search.stoppedBecause}.`, '');
  L.push('## wrk (closed loop, stack alone)', '');
  for (const w of r.wrk) {
    L.push(`- \`${w.path}\`, ${w.threads} threads, ${w.connections} connections, ${w.seconds} s: **${w.rps} req/s** (closed-loop bound ${v(w.closedLoopBoundRps)}), mean ${v(w.latencyMs.mean)} ms, p50 ${v(w.latencyMs.p50)} ms, p99 ${v(w.latencyMs.p99)} ms, non-2xx ${w.non2xx}, socket errors ${w.socketErrors}; stack CPU ${w.cpu.cpuSeconds.stack} s, wrk ${w.cpu.cpuSeconds.wrk} s over ${w.cpu.wallSeconds} s`);
  }
  L.push('', '## Raw `k6 run` vs the harness (same script, same plan)', '');
  L.push('| target req/s | achieved harness / raw | ratio | steady hold harness / raw | ratio | dropped % harness / raw | CPU µs/request harness / raw | ratio | k6 µs/request harness / raw |');
  L.push('| ---: | --- | ---: | --- | ---: | --- | --- | ---: | --- |');
  for (const c of r.rawK6.comparisons) {
    L.push(
      `| ${c.targetRps} | ${v(c.harnessAchievedRps)} / ${v(c.rawAchievedRps)} | ${v(c.achievedRatio)} | ${v(c.steady.harnessRps)} / ${v(c.steady.rawRps)} | ${v(c.steady.ratio)} | ` +
        `${v(c.harnessDroppedPct)} / ${v(c.rawDroppedPct)} | ${v(c.usPerRequest.harness)} / ${v(c.usPerRequest.raw)} | ${v(c.usPerRequest.ratio)} | ${v(c.k6UsPerRequest.harness)} / ${v(c.k6UsPerRequest.raw)} |`,
    );
  }
  L.push('', '## Where the time goes', '');
  for (const n of r.analysis.notes) L.push(`- ${n}`);
  L.push('', `Reproduce: \`npm run bench\` (flags: \`--rates ${r.config.rates.join(',')} --budget ${r.config.budgetSeconds}\`); details in bench/README.md.`, '');
  return L.join('\n');
}
