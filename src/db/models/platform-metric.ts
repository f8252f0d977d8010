import { BaseModel, type Decimal } from './base.js';

/** The platform's daily figures (one row per metric_date), written by the pipelines. */
export class PlatformMetric extends BaseModel {
  static override tableName = 'platform_metrics';
  static override jsonAttributes = ['revenue_by_currency'];

  declare metric_date: Date | string;
  declare total_professionals: number;
  declare total_candidates: number;
  declare total_companies: number;
  declare total_hr_partners: number;
  declare new_professionals_today: number;
  declare new_candidates_today: number;
  declare new_companies_today: number;
  declare active_job_roles: number;
  declare introductions_sent_today: number;
  declare introductions_accepted_today: number;
  declare introductions_declined_today: number;
  declare acceptance_rate_percentage: Decimal;
  declare avg_response_time_hours: Decimal | null;
  declare total_searches_today: number;
  declare total_profile_views_today: number;
  declare recommendations_generated_today: number;
  declare recommendations_viewed_today: number;
  declare recommendations_clicked_today: number;
  declare recommendations_applied_today: number;
  declare applications_today: number;
  declare placements_today: number;
  declare revenue_today_ngn: number;
  declare revenue_by_currency: Record<string, number>;
  declare computed_at: Date;
}
