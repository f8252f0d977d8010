/** ECharts, only the parts the views use (keeps the bundle and first render small). */
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, FunnelChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const live = new Set<echarts.ECharts>();
addEventListener('resize', () => live.forEach((chart) => chart.resize()));

export function disposeCharts(): void {
  live.forEach((chart) => chart.dispose());
  live.clear();
}

/** Draws into `element` (which carries the chart's accessible description). */
export function chart(element: HTMLElement, option: Record<string, unknown>): echarts.ECharts {
  const instance = echarts.init(element, undefined, { renderer: 'canvas' });
  instance.setOption({ aria: { enabled: true }, tooltip: { trigger: 'axis' }, grid: { left: 48, right: 16, top: 32, bottom: 32 }, ...option });
  live.add(instance);
  return instance;
}

export function lines(element: HTMLElement, x: string[], series: Array<{ name: string; data: Array<number | null> }>) {
  return chart(element, { legend: { top: 0 }, xAxis: { type: 'category', data: x }, yAxis: { type: 'value' }, series: series.map((s) => ({ ...s, type: 'line', smooth: true, connectNulls: true })) });
}

export function tornado(element: HTMLElement, keys: string[], low: number[], high: number[], base: number) {
  return chart(element, {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 110, right: 24, top: 32, bottom: 24 },
    xAxis: { type: 'value', name: 'SROI', min: (v: { min: number }) => Math.floor(Math.min(v.min, base) * 10) / 10 },
    yAxis: { type: 'category', data: keys },
    series: [
      { name: 'proxy −50%', type: 'bar', data: low, stack: 'none' },
      { name: 'proxy +50%', type: 'bar', data: high },
    ],
  });
}

export function funnel(element: HTMLElement, stages: Array<{ name: string; value: number }>) {
  return chart(element, { tooltip: { trigger: 'item' }, series: [{ type: 'funnel', sort: 'none', left: '10%', width: '80%', label: { show: true, formatter: '{b}: {c}' }, data: stages }] });
}
