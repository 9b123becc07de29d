/** Alarm states and one evaluation's outcome (CloudWatch User Guide, "Alarm states"). */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface Evaluation {
  state: Exclude<AlarmState, 'INSUFFICIENT_DATA'>;
  /** Breaching periods among those evaluated. */
  breaching: number;
  /** Period values, oldest first (undefined: missing). */
  values: Array<number | undefined>;
}
