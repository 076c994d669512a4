import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Count, PenceField } from '../common/response-fields.js';
import { FUNDING_GROUPS } from './funding-report.service.js';

export class FundingReportQueryDto {
  @ApiPropertyOptional({ example: 'priority,financialYear', description: `Comma-separated groupings: ${FUNDING_GROUPS.join(', ')}; totals only without it` })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  groupBy?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The fund (needed only when there is more than one)' })
  @IsOptional()
  @IsUUID()
  fundId?: string;

  @ApiPropertyOptional({ example: '2017/18', description: 'First financial year (April to March) counted' })
  @IsOptional()
  @IsString()
  @MaxLength(7)
  from?: string;

  @ApiPropertyOptional({ example: '2018/19', description: 'Last financial year counted' })
  @IsOptional()
  @IsString()
  @MaxLength(7)
  to?: string;
}

export class ReconciliationQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The fund (needed only when there is more than one)' })
  @IsOptional()
  @IsUUID()
  fundId?: string;
}

class FundingFiguresResponse {
  @Count('Bids received (applications submitted)') bids: number;
  @PenceField('Amount asked in those bids') requestedPence: number;
  @Count('Awards counted (offered to closed, and past awards)') awards: number;
  @Count('Organisations funded (distinct)') organisations: number;
  @PenceField('Amount awarded') awardedPence: number;
  @PenceField('Paid, net of repayments (past awards: their amount paid)') paidPence: number;
  @PenceField('Returned or clawed back (pot ledger repayments)') returnedPence: number;
}

export class FundingRowResponse extends FundingFiguresResponse {
  @ApiPropertyOptional({ type: 'string', nullable: true }) priority?: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true }) district?: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'Round code (past awards: their round label)' }) round?: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'Pot name (null for past awards)' }) pot?: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, example: '2017/18' }) financialYear?: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'The organisation’s legal form' }) organisationType?: string | null;
}

class ReportFundResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class FundingPotResponse {
  @ApiProperty() pot: string;
  @ApiProperty({ description: 'Round code' }) round: string;
  @PenceField('The pot’s budget') budgetPence: number;
  @PenceField('Committed now (commits less releases)') committedPence: number;
  @PenceField('Paid now, net of repayments') paidPence: number;
  @ApiProperty({ type: 'integer', description: 'Budget less committed, in pence' }) availablePence: number;
}

export class FundingReportResponse {
  @ApiProperty({ type: ReportFundResponse }) fund: ReportFundResponse;
  @ApiProperty({ type: [String], enum: FUNDING_GROUPS }) groupBy: string[];
  @ApiProperty({ type: 'string', nullable: true }) from: string | null;
  @ApiProperty({ type: 'string', nullable: true }) to: string | null;
  @ApiProperty({ type: [FundingRowResponse] }) rows: FundingRowResponse[];
  @ApiProperty({ type: FundingFiguresResponse, description: 'Over every bid and award once (not the sum of the rows when an award is in several)' }) totals: FundingFiguresResponse;
  @ApiProperty({ type: [FundingPotResponse], description: 'The fund’s pots as their ledgers stand now' }) pots: FundingPotResponse[];
  @ApiProperty({ type: [String] }) notes: string[];
}

class ReconciliationLineResponse {
  @ApiProperty({ enum: ['committed', 'paid', 'returned'] }) figure: string;
  @ApiProperty() label: string;
  @PenceField('The funding report’s figure (awards made in this service)') reportPence: number;
  @PenceField('The pot ledger’s figure') ledgerPence: number;
  @PenceField('The awards table’s figure') awardsPence: number;
  @ApiProperty({ description: 'Ledger minus report, in pence' }) ledgerDifferencePence: number;
  @ApiProperty({ description: 'Awards table minus report, in pence' }) awardsDifferencePence: number;
}

export class ReconciliationResponse {
  @ApiProperty({ type: ReportFundResponse }) fund: ReportFundResponse;
  @ApiProperty() reconciled: boolean;
  @ApiProperty({ type: [ReconciliationLineResponse] }) lines: ReconciliationLineResponse[];
  @ApiProperty({ type: [String] }) differences: string[];
}
