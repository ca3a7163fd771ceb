import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCompact, formatCount, formatPeriod, formatUsd } from '../../../lib/format';
import type { UsageChartData, UsageMetric } from '../usage-series';

// Distinguishable in light and dark mode, and for the common colour-vision deficiencies.
const COLOURS = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d'];

interface UsageChartProps {
  data: UsageChartData;
  metric: UsageMetric;
  groupBy: 'day' | 'week' | 'month';
  /** The chart's accessible name; the table below carries the same numbers. */
  title: string;
}

/** Stacked bars per period, one colour per model, provider or user. */
export function UsageChart({ data, metric, groupBy, title }: UsageChartProps) {
  const formatValue = (value: number) =>
    metric === 'cost' ? formatUsd(value) : `${formatCount(value)} tokens`;
  return (
    <figure className="usage-chart" aria-label={title}>
      <ResponsiveContainer width="100%" height={320}>
        <BarChart data={data.rows} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="period"
            tickFormatter={(value: string) => formatPeriod(value, groupBy)}
            tick={{ fill: 'currentColor' }}
          />
          <YAxis
            tickFormatter={(value: number) =>
              metric === 'cost' ? formatUsd(value) : formatCompact(value)
            }
            tick={{ fill: 'currentColor' }}
            width={72}
          />
          <Tooltip
            labelFormatter={(value) => formatPeriod(String(value), groupBy)}
            formatter={(value) => formatValue(Number(value))}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
          />
          <Legend />
          {data.keys.map((key, index) => (
            <Bar
              key={key.dataKey}
              dataKey={key.dataKey}
              name={key.label}
              stackId="usage"
              fill={COLOURS[index % COLOURS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
