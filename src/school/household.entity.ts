import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../common/columns';

/** Links pupils who live together, so a DSP can see siblings across schools they may see. */
@Entity('households')
export class Household {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  label: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
