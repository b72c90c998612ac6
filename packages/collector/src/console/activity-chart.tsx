import type { DayActivity } from '../services/console-overview.js';

const W = 560;
const H = 160;
const PAD = 24;

/**
 * New profiles and identifications per day as paired bars in plain SVG (no
 * chart library, no script). The numbers are also in a table for screen readers.
 */
export function ActivityChart(props: { days: DayActivity[] }) {
  const max = Math.max(1, ...props.days.flatMap((d) => [d.created, d.identified]));
  const slot = (W - PAD) / props.days.length;
  const bar = Math.max(2, slot / 2 - 2);
  const y = (n: number) => H - PAD - (n / max) * (H - 2 * PAD);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title">
        <title id="chart-title">New profiles and identifications per day, last {props.days.length} days</title>
        <line x1={PAD} x2={W} y1={H - PAD} y2={H - PAD} class="axis" />
        <text x={2} y={PAD} class="tick">
          {max}
        </text>
        {props.days.map((d, i) => (
          <g>
            <rect x={PAD + i * slot} y={y(d.created)} width={bar} height={H - PAD - y(d.created)} class="created" />
            <rect x={PAD + i * slot + bar} y={y(d.identified)} width={bar} height={H - PAD - y(d.identified)} class="identified" />
            {i % 3 === 0 && (
              <text x={PAD + i * slot} y={H - 6} class="tick">
                {d.day.slice(5)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption>
        <span class="key created" /> new profiles <span class="key identified" /> identifications
      </figcaption>
      <table class="visually-hidden">
        <caption>Activity per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">New profiles</th>
            <th scope="col">Identifications</th>
          </tr>
        </thead>
        <tbody>
          {props.days.map((d) => (
            <tr>
              <td>{d.day}</td>
              <td>{d.created}</td>
              <td>{d.identified}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
