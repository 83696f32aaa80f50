/**
 * Names as the dashboard shows them: two students who joined with the same name are told apart by their
 * join number ("Sam Lee #3", "Sam Lee #7"); everyone else keeps their name as typed. Pure.
 */
import { foldName } from './needs.js';

/** What naming needs from a student. */
export interface NameInput {
  participantId: string;
  name: string;
  /** 1-based join order in the session. */
  number: number;
}

/** The shown name of each student (by participant id). */
export function distinctNames(students: Iterable<NameInput>): Map<string, string> {
  const list = [...students];
  const count = new Map<string, number>();
  for (const s of list) count.set(foldName(s.name), (count.get(foldName(s.name)) ?? 0) + 1);
  return new Map(
    list.map((s) => [
      s.participantId,
      (count.get(foldName(s.name)) ?? 0) > 1 ? `${s.name} #${s.number}` : s.name,
    ]),
  );
}
