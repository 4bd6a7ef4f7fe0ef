'use client';
/**
 * The perceptron learning rule at work: the rule, the latest update (the misclassified point,
 * what was predicted, Δw and Δb, the new w and b) and the updates before it. The decision
 * boundary draws the same point and the line w·x + b = 0 as they change.
 */
import { formatVector, PERCEPTRON_RULE_TITLE, type PerceptronUpdate } from '@/lib/training/perceptron';

const num = (v: number) => formatVector([v]).slice(1, -1);

export function PerceptronUpdates({ latest, updates, eta }: { latest: PerceptronUpdate | null; updates: readonly PerceptronUpdate[]; eta: number }) {
  return (
    <div className="lb-train-perceptron" data-testid="perceptron-updates">
      <p className="lb-train-note" style={{ marginTop: 0 }}>
        A step unit has no gradient, so it learns by the <b>{PERCEPTRON_RULE_TITLE.toLowerCase()}</b>: one point at a time, and only on a
        mistake, w ← w + η(y − ŷ)·x and b ← b + η(y − ŷ), with η = {eta}. It stops after a pass with no mistake.
      </p>
      {latest ? (
        <p className="lb-train-perceptron__latest" data-testid="perceptron-latest" aria-live="polite">
          Update {latest.update} (pass {latest.epoch}, point {latest.position}): x = {formatVector(latest.x)} is class {latest.y} but was predicted {latest.predicted}; Δw = {formatVector(latest.dw)}, Δb = {num(latest.db)} → w = {formatVector(latest.w)}, b = {num(latest.b)}.
        </p>
      ) : (
        <p className="lb-train-note">No update yet: the updates appear here as the rule makes them.</p>
      )}
      {updates.length > 1 && (
        <div className="lb-train-perceptron__scroll">
          <table className="lb-train-perceptron__table">
            <caption className="lb-train-note">The latest updates, newest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">x</th>
                <th scope="col">y</th>
                <th scope="col">ŷ</th>
                <th scope="col">Δw</th>
                <th scope="col">Δb</th>
                <th scope="col">w, b after</th>
              </tr>
            </thead>
            <tbody>
              {[...updates].reverse().map((u) => (
                <tr key={u.update}>
                  <td>{u.update}</td>
                  <td>{formatVector(u.x)}</td>
                  <td>{u.y}</td>
                  <td>{u.predicted}</td>
                  <td>{formatVector(u.dw)}</td>
                  <td>{num(u.db)}</td>
                  <td>
                    {formatVector(u.w)}, {num(u.b)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
